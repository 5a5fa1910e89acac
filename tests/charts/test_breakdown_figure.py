"""按分项: sorted bars labelled with value and share, and the note on whether the parts
add up to the total."""
from __future__ import annotations

import pandas as pd
import pytest

from charts.figures import breakdown_figure


def parts(values: dict[str, float], total: float | None, type_: str = "流量", unit: str = "件",
          qualifier: str = "") -> pd.DataFrame:
    share = [v / total * 100 if total and type_ == "流量" else None for v in values.values()]
    return pd.DataFrame({"breakdown": list(values), "value": list(values.values()), "qualifier": qualifier,
                         "unit": unit, "type": type_, "total": total, "total_qualifier": "", "share": share})


@pytest.mark.parametrize(("frame", "expected"), [
    (parts({"公安": 30, "土地": 25}, 55), "各分项之和等于总数 55件。"),
    (parts({"公安": 30, "土地": 12}, 55), "各分项之和（42件）与总数（55件）不一致"),
    (parts({"公安": 30}, None), "没有同期的总数，不计算占比。"),
    (parts({"公安": 25.0, "土地": 10.0}, 18.0, type_="比率", unit="%"), "比率类指标的各分项按各自的分子、分母计算"),
    (parts({"公安": 30, "土地": 25}, 55, qualifier="约"), "空心条为非精确值"),
])
def test_the_notes_say_whether_the_parts_add_up(frame, expected):
    _, notes = breakdown_figure(frame)
    assert any(n.startswith(expected) for n in notes), notes


def test_bars_are_sorted_largest_on_top_with_their_share():
    fig, _ = breakdown_figure(parts({"土地": 12, "公安": 30, "其他": 5}, 55))
    bar = fig.data[0]
    assert list(bar.y) == ["其他", "土地", "公安"]  # plotly draws the first at the bottom
    assert list(bar.text) == ["5件（占9.1%）", "12件（占21.8%）", "30件（占54.5%）"]


def test_a_ratio_has_no_share_in_its_labels():
    fig, _ = breakdown_figure(parts({"公安": 25.0}, 18.0, type_="比率", unit="%"))
    assert list(fig.data[0].text) == ["25%"]
