"""On a phone (390 px) the import preview on 数据更新 shows 新值 without scrolling sideways:
a clerk sees what will be written.

st.dataframe draws on a canvas, so its header cells have no boxes in the page: each text
the canvas draws is recorded with where it lands, and a header cell runs from its label to
the next header's label (glide-data-grid's cell padding either side)."""
from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, PHONE, exception_count, upload_mediation_figure

VALUE, YEAR = 27182, 2031  # not in the seed data: a 新增 row
_RECORD_TEXT = """
const fillText = CanvasRenderingContext2D.prototype.fillText;
window.__drawn = [];
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  const m = this.getTransform(), at = m.transformPoint(new DOMPoint(x, y));
  window.__drawn.push({text: String(text), x: at.x / m.a, y: at.y / m.d, width: this.measureText(text).width,
                       canvas: this.canvas});
  return fillText.call(this, text, x, y, ...rest);
};
"""
# The table's texts as drawn last, in page coordinates: [text, left, right, in the header row].
_DRAWN_IN_TABLE = """table => {
  const drawn = window.__drawn.filter(d => table.contains(d.canvas)).map(d => {
    const box = d.canvas.getBoundingClientRect();  // the header has a canvas of its own
    return {text: d.text, left: box.left + d.x, right: box.left + d.x + d.width, top: box.top + d.y};
  });
  const headerTop = Math.min(...drawn.map(d => d.top));
  const last = new Map(drawn.map(d => [d.text, [d.text, d.left, d.right, d.top === headerTop]]));
  return {texts: [...last.values()], right: table.getBoundingClientRect().right};
}"""

def test_the_new_value_is_on_a_phones_screen(live_server, page):
    page.add_init_script(_RECORD_TEXT)
    page.set_viewport_size(PHONE)
    upload_mediation_figure(page, live_server, "手机预览.xlsx", YEAR, VALUE)
    preview = page.locator("[data-testid=stTabs] [data-testid=stDataFrame]:visible").last  # the 新增 tab's table
    preview.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "upload-preview-390x844.png")
    assert exception_count(page) == 0
    drawn = preview.evaluate(_DRAWN_IN_TABLE)
    on_screen = min(PHONE["width"], drawn["right"])
    headers = [(left, right) for text, left, right, is_header in drawn["texts"] if is_header]
    labels = {text: (left, right) for text, left, right, _ in drawn["texts"]}
    assert "新值" in labels, drawn  # a column beyond the screen is not drawn at all
    left, right = labels["新值"]
    after = [start for start, _ in headers if start > left]
    cell_end = min(after) if after else drawn["right"]  # the next column's label, or the table's edge
    assert 0 <= left and right <= on_screen and cell_end <= on_screen, drawn
    value_left, value_right = labels[f"{VALUE}件"]
    assert left - 1 <= value_left and value_right <= cell_end, drawn
