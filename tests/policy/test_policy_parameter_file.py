"""A malformed parameter file is refused at load, naming the entry and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhucun.policy import ParameterFileError, PolicyError, load_parameters, parse_parameters

GOOD_ENTRY = """
[[parameter]]
name = "max_age_years"
clause = "SEL.SRC.AGE"
unit = "years"
description = "年龄上限"
source = "年龄一般不超过45周岁"
values = [{ effective = 2021-10-19, jurisdiction = "533100", value = 45 }]
"""
GAP_ENTRY = """
[[parameter]]
name = "min_days_on_duty_per_year"
clause = "MGT.1.DAYS"
unit = "days"
description = "每年最少在岗天数"
source = "每年在岗时间不少于天(含因公出差)"
gap = true
gap_note = "原文此处数字缺失,须由本辖区设置"
"""
HEAD = 'home_jurisdiction = "533100"\n'


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    """SEL.SRC.AGE and MGT.1.DAYS in a file of their own."""
    path = tmp_path / "p.toml"
    path.write_text(HEAD + GOOD_ENTRY + GAP_ENTRY, encoding="utf-8")
    params = load_parameters(path)
    assert params.names() == ("max_age_years", "min_days_on_duty_per_year")
    assert params.home_jurisdiction == "533100000000"


def _second_entry(replace: str, by: str, *, base: str = GOOD_ENTRY) -> str:
    assert replace in base
    return HEAD + GAP_ENTRY + base.replace(replace, by)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (_second_entry('clause = "SEL.SRC.AGE"\n', ""), "缺少 clause", "missing clause"),
        (_second_entry('"SEL.SRC.AGE"', '"SEL.SRC.AGES"'), "不在条款目录", "unknown clause id"),
        (_second_entry("2021-10-19", '"2021-10-19"'), "effective 须为日期", "must be a date"),
        (_second_entry("2021-10-19", "2021-10-19T08:00:00"), "须为日期", "must be a date"),
        (_second_entry("value = 45", 'value = "45"'), "应为整数", "takes an integer"),
        (_second_entry("value = 45", "value = 45.0"), "应为整数", "takes an integer"),
        (_second_entry("value = 45", "value = true"), "不能是布尔值", "no boolean"),
        (_second_entry("value = 45", "value = -1"), "不能为负数", "no negative"),
        (
            _second_entry('unit = "years"', 'unit = "yuan"').replace("45 }", "4.5 }"),
            "浮点数",
            "float",
        ),
        (
            _second_entry('unit = "years"', 'unit = "ratio"').replace("45 }", '"4/3" }'),
            "0 与 1",
            "between",
        ),
        (_second_entry('unit = "years"', 'unit = "parsecs"'), "未知单位", "unknown unit"),
        (_second_entry('"533100"', '"53310"'), "jurisdiction 无效", "bad jurisdiction"),
        (
            _second_entry('"max_age_years"', '"min_days_on_duty_per_year"'),
            "参数名重复",
            "duplicate",
        ),
        (_second_entry('"max_age_years"', '"MaxAge"'), "蛇形", "snake_case"),
        (_second_entry("values = [", "gap = true\nvalues = ["), "不得有取值", "GAP entry"),
        (
            _second_entry("value = 45 }]", "value = 45 }]\ngap_note = 'x'"),
            "gap_note",
            "GAP entries",
        ),
        (_second_entry("values = [", "valeus = ["), "未知的键", "unknown keys"),
        (_second_entry('description = "年龄上限"\n', ""), "缺少 description", "missing"),
        (_second_entry('source = "年龄一般不超过45周岁"', 'source = " "'), "非空", "non-empty"),
        (
            _second_entry(
                "value = 45 }]",
                "value = 45 }, { effective = 2021-10-19, "
                'jurisdiction = "533100000000", value = 40 }]',
            ),
            "重复",
            "duplicate",
        ),
        (_second_entry(", value = 45 }", " }"), "缺少键 ['value']", "missing keys"),
        (
            HEAD + GAP_ENTRY + GOOD_ENTRY.split("values")[0],
            "非 GAP 参数须至少有一个取值",
            "needs a value",
        ),
        (
            HEAD
            + GOOD_ENTRY
            + GAP_ENTRY.replace('gap_note = "原文此处数字缺失,须由本辖区设置"', ""),
            "缺少 gap_note",
            "missing gap_note",
        ),
    ],
)
def test_malformed_entry_names_the_entry_and_the_problem(text: str, zh: str, en: str) -> None:
    with pytest.raises(ParameterFileError) as raised:
        parse_parameters(text, path="t.toml")
    message = str(raised.value)
    assert zh in message and en in message, message
    assert "t.toml" in message
    assert raised.value.index == 2, message
    assert "第2项" in message and "entry #2" in message


def test_entry_name_is_given_when_known() -> None:
    text = _second_entry('"SEL.SRC.AGE"', '"SEL.SRC.AGES"')
    with pytest.raises(ParameterFileError, match=r"第2项\(max_age_years\)") as raised:
        parse_parameters(text)
    assert raised.value.name == "max_age_years"
    assert isinstance(raised.value, PolicyError)


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        ("this is = = not toml", "TOML 语法错误"),
        (GOOD_ENTRY, "home_jurisdiction"),
        (HEAD, "缺少 [[parameter]]"),
        (HEAD + "colour = 1\n" + GOOD_ENTRY, "未知的顶层键"),
        (HEAD + "parameter = [1]\n", "条目须为表"),
    ],
)
def test_malformed_file(text: str, zh: str) -> None:
    with pytest.raises(ParameterFileError, match=zh.replace("[", r"\[")):
        parse_parameters(text)


def test_missing_file_is_a_parameter_file_error(tmp_path: Path) -> None:
    with pytest.raises(ParameterFileError, match="无法读取"):
        load_parameters(tmp_path / "absent.toml")
