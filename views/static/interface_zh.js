// Chinese for the texts Streamlit and Plotly write in English and offer no option for:
// toolbar tooltips, button labels read aloud, placeholders, the uploader's own errors,
// the connection status. Fixed text only, never data. Runs once per browser tab and keeps
// translating what the page redraws.
(() => {
  if (window.__fazhiChinese) return;
  window.__fazhiChinese = true;
  const WORDS = {
    "Show/hide columns": "显示/隐藏列", "Search": "搜索", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
    "Exit fullscreen": "退出全屏", "Clear all": "全部清除", "Clear selection": "清除选择", "Clear": "清除",
    "Download as CSV": "下载 CSV", "Choose an option": "请选择", "Choose options": "请选择（可多选）",
    "No results": "没有匹配的选项", "Open": "展开", "Close": "关闭", "Dismiss": "关闭",
    "Show password": "显示密码", "Hide password": "隐藏密码", "Link to heading": "标题链接",
    "Skip to main content": "跳到正文", "Collapse sidebar": "收起侧栏", "Expand sidebar": "展开侧栏",
    "Main menu": "主菜单", "App pages": "页面", "Sidebar": "侧栏", "Selected values": "已选",
    "Running...": "正在运行…", "Stop": "停止", "Connecting": "正在连接", "Please wait...": "请稍候…",
    "Upload": "选择文件", "Browse files": "选择文件", "Delete": "删除", "Remove file": "移除文件",
    "Zoom": "缩放", "Pan": "平移", "Zoom in": "放大", "Zoom out": "缩小",
    "Autoscale": "自动缩放", "Reset axes": "重置坐标轴", "Reset": "重置", "Reset view": "重置视图",
    "Box Select": "框选", "Lasso Select": "套索选择", "Toggle Spike Lines": "显示/隐藏辅助线",
    "Show closest data on hover": "悬停显示最近数据", "Compare data on hover": "悬停比较数据",
    "Double-click to zoom back out": "双击恢复原始大小", "Increment": "增加", "Decrement": "减少",
  };
  const PATTERNS = [
    [/^File must be ([\d.]+) ?MB or smaller\.?$/, (m) => `文件超过 ${parseFloat(m[1])}MB，未上传。请压缩或拆分后重试。`],
    [/^(.+) files are not allowed\.?$/, () => "不接受这种类型的文件，请按上方说明的格式上传。"],
    [/^Remove (.+)$/, (m) => `移除 ${m[1]}`],
    [/^Help for (.+)$/, (m) => `${m[1]}：说明`],
  ];
  const ATTRIBUTES = ["aria-label", "title", "data-title", "placeholder"];
  const chinese = (text) => {
    const trimmed = text.trim();
    if (!trimmed || !/[A-Za-z]/.test(trimmed)) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, trimmed)) return WORDS[trimmed];
    for (const [pattern, make] of PATTERNS) {
      const match = trimmed.match(pattern);
      if (match) return make(match);
    }
    return null;
  };
  const TAGGED = ATTRIBUTES.map((name) => `[${name}]`).join(",");
  // A chart's drawing (Plotly's SVG, thousands of nodes redrawn on every filter change) holds
  // data and its labels, never interface text: walking it on each redraw held the browser for
  // 25–50 ms of every filter change (bench/RESULTS.md). The toolbar's buttons are HTML.
  const inDrawing = (node) => node instanceof SVGElement || node.parentNode instanceof SVGElement;
  const textOutsideDrawings = {acceptNode: (node) => (node instanceof SVGElement ? NodeFilter.FILTER_REJECT
    : node.nodeType === Node.TEXT_NODE ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP)};
  const translate = (root) => {
    if (inDrawing(root)) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
                                             textOutsideDrawings);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = chinese(node.nodeValue);
      if (text !== null) node.nodeValue = text;
    }
    const elements = root.querySelectorAll ? [root, ...root.querySelectorAll(TAGGED)] : [];
    for (const el of elements) {
      if (!el.getAttribute || el instanceof SVGElement) continue;
      for (const name of ATTRIBUTES) {
        const value = el.getAttribute(name);
        const text = value && chinese(value);
        if (text) el.setAttribute(name, text);
      }
    }
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (inDrawing(m.target)) continue;
      if (m.type === "characterData") {
        const text = chinese(m.target.nodeValue || "");
        if (text !== null) m.target.nodeValue = text;
      } else if (m.type === "attributes") {
        const value = m.target.getAttribute(m.attributeName);
        const text = value && chinese(value);
        if (text) m.target.setAttribute(m.attributeName, text);
      } else {
        m.addedNodes.forEach((n) => translate(n.nodeType === Node.TEXT_NODE ? n.parentNode || n : n));
      }
    }
  });
  translate(document.body);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                   attributeFilter: ATTRIBUTES});
})();
