"""Report PNGs: size, content, Chinese glyphs, thread safety, ZIP names.

Rendering needs Debian's chromium and fonts-noto-cjk. Outside CI a machine without them
skips those tests; with CI=true their absence fails, so CI cannot pass by skipping."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import zipfile

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from charts import images
from charts.figures import y_label_spec
from charts.images import decorate, report_png, wrap, zip_pngs
from charts.maps import choropleth
from charts.meta import ChartMeta

META = ChartMeta("人民调解成功调处矛盾纠纷数", "姑苏区 · 2019—2024年", "姑苏区法治政府建设年度报告",
                 ("非全年数据单独成线，不与全年数据相连或比较。",))


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(f"{reason}; skipped outside CI only, CI=true fails instead")


@pytest.fixture(scope="module")
def renderer() -> None:
    browser = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
    if not (shutil.which(browser) or os.access(browser, os.X_OK)):
        _missing(f"no chromium at {browser} (apt-get install chromium)")
    if not shutil.which("fc-match"):
        _missing("no fontconfig (apt-get install fonts-noto-cjk)")
    font = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    if "NotoSansCJK" not in font:
        _missing(f"'Noto Sans CJK SC' resolves to {font!r}, not Noto CJK (apt-get install fonts-noto-cjk)")


def bar(n: int = 3) -> go.Figure:
    return go.Figure(go.Bar(x=[f"{2019 + i}年" for i in range(n)], y=[10 + i for i in range(n)],
                            marker_color="#B22222"))


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def dark_rows(image: np.ndarray) -> np.ndarray:
    return np.where((image.min(axis=2) < 160).any(axis=1))[0]


@pytest.mark.parametrize("width,height", [(1200, 700), (800, 500), (640, 900)])
def test_png_has_the_requested_size_at_2x(renderer, width, height):
    png = report_png(bar(), META, width, height)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (2 * width, 2 * height)


def test_png_is_not_blank_and_has_a_white_background(renderer):
    image = pixels(report_png(bar(), META))
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50
    assert 0.01 < (image.min(axis=2) < 250).mean() < 0.6
    assert (image[0, 0] == 255).all() and (image[-1, -1] == 255).all()


def test_title_subtitle_and_footer_are_drawn_into_the_image(renderer):
    plain = pixels(report_png(bar(), ChartMeta("", "", "")))
    image = pixels(report_png(bar(), META))
    rows = dark_rows(image)
    # Text above the plot area and below the axis, where the bare chart has none.
    assert rows.min() < 2 * 60 and dark_rows(plain).min() > rows.min()
    assert rows.max() > image.shape[0] - 2 * 60
    assert not np.array_equal(image[: 2 * 40], plain[: 2 * 40])


def test_chinese_renders_as_distinct_glyphs_not_boxes(renderer):
    """Tofu boxes for different characters look identical; real glyphs do not."""
    first = pixels(report_png(bar(), ChartMeta("行政复议", "", "")))
    second = pixels(report_png(bar(), ChartMeta("调解纠纷", "", "")))
    title_band = slice(0, 2 * 60)
    assert (first[title_band].min(axis=2) < 160).any()
    assert (first[title_band] != second[title_band]).any(axis=2).sum() > 200


def test_long_footnotes_wrap_and_stay_inside_the_image(renderer):
    note = "这是一条很长的注释，说明口径、期间和推算方法。" * 12
    fig = decorate(bar(), ChartMeta("标题", "副标题", "来源", (note, note)))
    image = pixels(report_png(bar(), ChartMeta("标题", "副标题", "来源", (note, note))))
    assert image.shape[0] == 2 * fig.layout.height
    assert dark_rows(image).max() < image.shape[0] - 2 * 8  # the last line is not cut off


def test_concurrent_calls_each_get_their_own_image(renderer):
    sizes = [(600 + 40 * i, 400 + 30 * i) for i in range(4)]
    got: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def export(i: int) -> None:
        width, height = sizes[i]
        for _ in range(2):
            png = report_png(bar(i + 2), ChartMeta(f"图{i}", "", ""), width, height)
            got.append(((2 * width, 2 * height), Image.open(io.BytesIO(png)).size))

    threads = [threading.Thread(target=export, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(got) == 8
    assert all(expected == size for expected, size in got)


def test_charts_rendered_together_come_back_in_order_each_its_own(renderer):
    """report_pngs renders in several tabs at once: each image must still be its chart's
    (its own size and title), in the order asked, and as report_png draws it alone."""
    charts = [(bar(i + 2), ChartMeta(f"图{i}", "", "")) for i in range(5)]
    sizes = [(2 * 1200, 2 * 700)] * 5
    together = images.report_pngs(charts)
    assert [Image.open(io.BytesIO(png)).size for png in together] == sizes
    for (fig, meta), png in zip(charts, together):
        assert np.array_equal(pixels(png), pixels(report_png(fig, meta)))
    assert images.report_pngs([]) == []


def test_the_district_map_renders_offline(renderer):
    """The map's geo subplot must not reach for plotly's CDN topojson (no network here)."""
    frame = pd.DataFrame({"region": ["姑苏区", "苏州工业园区"], "v": [90.0, 95.0], "label": ["近90%", "95%"]})
    image = pixels(report_png(choropleth(frame, "v", "出庭应诉率"), META, 900, 800))
    reds = (image[..., 0] > 150) & (image[..., 1] < 120) & (image[..., 2] < 120)
    assert reds.sum() > 500


def test_a_browser_that_cannot_start_raises_instead_of_hanging(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    renderer = images._Renderer()
    with pytest.raises(Exception):  # noqa: B017  (whatever Kaleido raises for a missing browser)
        renderer.render_many([(bar(), 300, 200)])
    assert renderer._kaleido is None  # the next call tries a fresh browser


@pytest.mark.parametrize("text,font_px,width_px,lines", [
    ("", 13, 500, 0),
    ("短注释", 13, 500, 1),
    ("非" * 100, 10, 300, 4),  # 30 CJK characters a line
    ("ab" * 60, 10, 110, 6),  # Latin is about half as wide
])
def test_wrap_fills_lines_by_estimated_width(text, font_px, width_px, lines):
    wrapped = wrap(text, font_px, width_px)
    assert len(wrapped) == lines
    assert "".join(wrapped) == text


def test_wrap_never_starts_a_line_with_closing_punctuation():
    wrapped = wrap("一二三四五，六七八九十。" * 5, 10, 50)
    assert all(line[0] not in "，。" for line in wrapped)


@pytest.mark.parametrize("meta,expected", [
    (META, ["人民调解成功调处矛盾纠纷数", "姑苏区 · 2019—2024年", "来源：姑苏区法治政府建设年度报告",
            "非全年数据单独成线"]),
    (ChartMeta("比率<5%", "A&B", "x"), ["比率&lt;5%", "A&amp;B"]),  # plotly would read < and & as markup
])
def test_decorate_draws_title_subtitle_source_and_footnotes(meta, expected):
    fig = decorate(bar(), meta)
    text = "\n".join(a.text for a in fig.layout.annotations)
    assert all(part in text for part in expected)
    assert fig.layout.paper_bgcolor == "white" and not fig.layout.title.text


@pytest.mark.parametrize("footnotes,taller", [((), False), (("很长的注释。" * 60,) * 6, True)])
def test_decorate_keeps_the_size_unless_footnotes_would_squeeze_the_plot(footnotes, taller):
    fig = decorate(bar(), ChartMeta("标题", "副标题", "来源", footnotes), 1200, 700)
    assert (fig.layout.height > 700) is taller and fig.layout.width == 1200


def test_a_unit_above_the_axis_gets_its_own_line_under_the_subtitle():
    labelled = bar()
    labelled.add_annotation(y_label_spec("单位：件"))
    plain, with_unit = decorate(bar(), META), decorate(labelled, META)
    assert with_unit.layout.margin.t >= plain.layout.margin.t + 18  # no crowding of subtitle and unit
    assert "单位：件" in [a.text for a in with_unit.layout.annotations]


def test_decorate_leaves_the_original_figure_alone():
    fig = bar()
    before = fig.to_json()
    decorate(fig, META)
    assert fig.to_json() == before


@pytest.mark.parametrize("names,expected", [
    (["趋势图", "排名图"], ["趋势图.png", "排名图.png"]),
    (["趋势图", "趋势图", "趋势图"], ["趋势图.png", "趋势图（2）.png", "趋势图（3）.png"]),
    (["趋势图.png", "趋势图"], ["趋势图.png", "趋势图（2）.png"]),
    (["../上级/图", ""], [".._上级_图.png", "图表.png"]),
])
def test_zip_pngs_names_in_chinese_flat_and_unique(names, expected):
    archive = zipfile.ZipFile(io.BytesIO(zip_pngs([(n, b"\x89PNG" + n.encode()) for n in names])))
    assert archive.namelist() == expected
    assert all(info.flag_bits & 0x800 for info in archive.infolist())  # UTF-8 names
    assert [archive.read(name) for name in expected] == [b"\x89PNG" + n.encode() for n in names]
