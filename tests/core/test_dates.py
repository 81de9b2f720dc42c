"""Contract dates: the forms, their precision, their offsets, and what a bad one is told."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest

from timeline.core.dates import explain, humanize, parse, parse_series

UTC = timezone.utc

FORMS = [
    # text, precision, start (UTC), end (UTC, exclusive), offset in minutes
    ("2020", "year", datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC), None),
    ("2020-02", "month", datetime(2020, 2, 1, tzinfo=UTC), datetime(2020, 3, 1, tzinfo=UTC), None),
    ("2020-12", "month", datetime(2020, 12, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC), None),
    (
        "2020-02-29",
        "day",
        datetime(2020, 2, 29, tzinfo=UTC),
        datetime(2020, 3, 1, tzinfo=UTC),
        None,
    ),
    (
        "2020-01-03T00:47+03:00",
        "minute",
        datetime(2020, 1, 2, 21, 47, tzinfo=UTC),
        datetime(2020, 1, 2, 21, 48, tzinfo=UTC),
        180,
    ),
    (
        "2020-01-02T21:47Z",
        "minute",
        datetime(2020, 1, 2, 21, 47, tzinfo=UTC),
        datetime(2020, 1, 2, 21, 48, tzinfo=UTC),
        0,
    ),
    (
        "2020-01-07T19:30:15-05:00",
        "second",
        datetime(2020, 1, 8, 0, 30, 15, tzinfo=UTC),
        datetime(2020, 1, 8, 0, 30, 16, tzinfo=UTC),
        -300,
    ),
    (
        "2020-01-08T01:30:00+03:30",
        "second",
        datetime(2020, 1, 7, 22, 0, tzinfo=UTC),
        datetime(2020, 1, 7, 22, 0, 1, tzinfo=UTC),
        210,
    ),
    (
        "1999-12-31T23:59:59Z",
        "second",
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2000, 1, 1, tzinfo=UTC),
        0,
    ),
]


@pytest.mark.parametrize(
    ("text", "precision", "at", "until", "offset"), FORMS, ids=[f[0] for f in FORMS]
)
def test_each_form_keeps_its_precision_and_offset(text, precision, at, until, offset):
    one = parse(text)
    assert (one.precision, one.at, one.until, one.offset_minutes) == (precision, at, until, offset)
    row = parse_series(pd.Series([text])).iloc[0]
    assert (row["precision"], row["at"], row["until"], row["error"]) == (precision, at, until, "")
    assert (None if pd.isna(row["offset"]) else row["offset"]) == offset


def test_the_vectorised_parser_agrees_with_the_one_value_parser():
    values = [f[0] for f in FORMS] + [
        "",
        " 2020-01-05 ",
        "03/01/2020",
        "2020-02-30",
        "2021-02-29",
        "2020-13",
        "2020-01-03T00:47",
        "2020-01-03 00:47",
        "2020-01-03T24:00Z",
        "2020-01-03T23:60Z",
        "2020-01-03T23:59:60Z",
        "2020-01-03T10:00+15:00",
        "0000",
        "٢٠٢٠",
        "2020-01-03t10:00z",
        "January 2020",
        "20200103",
        "2020-01-03T10:00+0300",
        "x" * 40,
    ]
    frame = parse_series(pd.Series(values, index=range(100, 100 + len(values))))
    assert list(frame.index) == list(range(100, 100 + len(values)))
    for (_i, row), text in zip(frame.iterrows(), values):
        problem = explain(text) if text.strip() else None
        assert row["error"] == (problem or ""), text
        if problem or not text.strip():
            assert pd.isna(row["at"]) and row["precision"] == "", text
        else:
            p = parse(text)
            assert (row["at"], row["until"], row["precision"]) == (p.at, p.until, p.precision), text


def test_the_parsed_columns_have_stable_types():
    frame = parse_series(pd.Series(["2020", "", "bad"]))
    assert str(frame["at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["until"].dtype) == "datetime64[us, UTC]"
    assert str(frame["offset"].dtype) == "Int64"


def test_a_day_is_shown_as_a_day_never_as_midnight():
    assert humanize("2020-01-05") == "Sunday 5 January 2020"
    assert humanize("2020-01") == "January 2020"
    assert humanize("2020") == "2020"
    assert humanize("2020-01-03T00:47+03:00") == "Friday 3 January 2020, 00:47 (UTC+03:00)"
    assert humanize("2020-01-03T00:47+03:00", zone="utc") == "Thursday 2 January 2020, 21:47 (UTC)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "03/01/2020",
            "'03/01/2020' is ambiguous: 3 January 2020 (day first) or 1 March 2020 (month first); "
            "write it as ISO 8601 YYYY-MM-DD: 2020-01-03 or 2020-03-01",
        ),
        (
            "13/01/2020",
            "'13/01/2020' is not ISO 8601; write it as YYYY-MM-DD: 2020-01-13 (13 January 2020)",
        ),
        (
            "3.1.20",
            "'3.1.20' has a two-digit year; write the date as ISO 8601 with the year in full, e.g. 2020-01-03",
        ),
        (
            "2020-02-30",
            "'2020-02-30' is not a real date: February 2020 has 29 days; correct the day",
        ),
        (
            "2021-02-29",
            "'2021-02-29' is not a real date: February 2021 has 28 days; correct the day",
        ),
        ("2020-13", "'2020-13' has month 13, which does not exist; months run 01 to 12"),
        ("0000-01-01", "'0000-01-01' has year 0000, which does not exist; years run 0001 to 9999"),
        (
            "2020-01-03T00:47",
            "'2020-01-03T00:47' has a time but no UTC offset; add the offset of the clock it was read on, "
            "e.g. 2020-01-03T00:47+03:00 (Baghdad), 2020-01-03T00:47Z (UTC/London in winter) or "
            "2020-01-03T00:47-05:00 (US Eastern)",
        ),
        (
            "2020-01-03 00:47",
            "'2020-01-03 00:47' has a space before the time; write a T instead and add the UTC offset, "
            "e.g. 2020-01-03T00:47+03:00",
        ),
        (
            "2020-01-03T24:00Z",
            "'2020-01-03T24:00Z' has an impossible time of day; hours run 00 to 23, minutes and seconds 00 to 59",
        ),
        (
            "2020-01-03T10:00+15:00",
            "'2020-01-03T10:00+15:00' has offset +15:00, beyond ±14:00; check the time zone",
        ),
        (
            "January 2020",
            "'January 2020' is not an ISO 8601 date; write it as 2020-01 (January 2020)",
        ),
        (
            "5 March 2024",
            "'5 March 2024' is not an ISO 8601 date; write it as 2024-03-05 (Tuesday 5 March 2024)",
        ),
        (
            "2024-3-5",
            "'2024-3-5' is not an ISO 8601 date; write it as 2024-03-05 (Tuesday 5 March 2024)",
        ),
        (
            "2024/03/08",
            "'2024/03/08' is not an ISO 8601 date; write it as 2024-03-08 (Friday 8 March 2024)",
        ),
        ("2024.3", "'2024.3' is not an ISO 8601 date; write it as 2024-03 (March 2024)"),
        (
            "Tue, March 5th, 2024",
            "'Tue, March 5th, 2024' is not an ISO 8601 date; write it as 2024-03-05 (Tuesday 5 March 2024)",
        ),
        (
            "Monday 5 March 2024",
            "'Monday 5 March 2024' is not an ISO 8601 date, and 5 March 2024 is a Tuesday, not a Monday; "
            "if the day is right, write it as 2024-03-05",
        ),
        (
            "2024/02/30",
            "'2024/02/30' is not a real date: February 2024 has 29 days; correct the day",
        ),
        (
            "2024/13/01",
            "'2024/13/01' is not a real date: month 13 does not exist; months run 1 to 12",
        ),
        (
            "5 March",
            "'5 March' is not an ISO 8601 date; write 2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00",
        ),
        (
            "٢٠٢٠",
            "'٢٠٢٠' is not an ISO 8601 date; write 2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00",
        ),
    ],
)
def test_a_bad_date_is_told_what_is_wrong_and_how_to_write_it(text, message):
    assert explain(text) == message
    with pytest.raises(
        ValueError, match="^" + message.replace("+", r"\+").replace("(", r"\(").replace(")", r"\)")
    ):
        parse(text)


def test_spaces_around_a_date_are_forgiven():
    row = parse_series(pd.Series(["  2020-01-05\t"])).iloc[0]
    assert (row["precision"], row["error"]) == ("day", "")


def test_missing_values_are_empty_not_errors():
    frame = parse_series(pd.Series(["2020", None, float("nan")], dtype=object))
    assert list(frame["error"]) == ["", "", ""]
    assert list(frame["precision"]) == ["year", "", ""]


def test_an_unreadable_date_is_a_timeline_error_and_a_value_error() -> None:
    from timeline.core.dates import parse
    from timeline.errors import DateError, TimelineError

    with pytest.raises(DateError, match="not a real date") as info:
        parse("2020-02-30")
    assert isinstance(info.value, TimelineError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("display", "start", "end", "why"),
    [
        (
            "Monday 4 March 2024, morning",
            "2024-03-09",
            "",
            "'Monday 4 March 2024' does not agree with start "
            "'2024-03-09' (Saturday 9 March 2024); correct the display date or the date, whichever is wrong",
        ),
        ("Mon 4 Mar 2024", "2024-03-04", "", None),
        (
            "Tuesday 4 March 2024",
            "2024-03-04",
            "",
            "'Tuesday 4 March 2024' does not agree with start "
            "'2024-03-04' (Monday 4 March 2024); correct the display date or the date, whichever is wrong",
        ),
        ("Friday evening", "2024-03", "", None),  # a month holds Fridays
        ("4 March", "2024", "", None),
        (
            "4 March 2023",
            "2024",
            "",
            "'4 March 2023' does not agree with start '2024' "
            "(Monday 1 January 2024 to Tuesday 31 December 2024); correct the display date or the date, "
            "whichever is wrong",
        ),
        (
            "Thu 2 Jan, 21:47 London",
            "2020-01-03T00:47+03:00",
            "",
            None,
        ),  # the day before, in London
        ("Sat 4 Jan", "2020-01-03T00:47+03:00", "", None),  # the day after, east of Baghdad
        (
            "Sun 5 Jan",
            "2020-01-03T00:47+03:00",
            "",
            "'Sun 5 Jan' does not agree with start "
            "'2020-01-03T00:47+03:00' (Friday 3 January 2020 on its own clock); correct the display date or "
            "the date, whichever is wrong",
        ),
        ("dated 29 Jun 2020; published 7 Jul 2020", "2020-06-29", "2020-07-07", None),
        ("3-5 March 2024", "2024-03-03", "2024-03-05", None),
        ("Morning (UK)", "2024-03-09", "", None),  # no date in words: nothing to compare
        ("It may rain", "2024-03-09", "", None),
        ("In 1999 terms", "2024-03-09", "", None),  # a year alone is not read
        ("Sun 1 Jan 2000", "1999-06", "2001-06", None),  # a long span: its years alone are checked
        (
            "Sun 1 Jan 1990",
            "1999-06",
            "2001-06",
            "'Sun 1 Jan 1990' does not agree with start '1999-06' and "
            "end '2001-06' (Tuesday 1 June 1999 to Saturday 30 June 2001); correct the display date or the date, "
            "whichever is wrong",
        ),
    ],
)
def test_a_display_date_naming_another_day_is_caught(display, start, end, why):
    from timeline.core.datewords import display_contradiction

    def days(text: str) -> tuple[date, date]:  # the period's first and last day on its own clock
        p = parse(text)
        shift = timedelta(minutes=p.offset_minutes or 0)
        return (p.at + shift).date(), (p.until + shift - timedelta(microseconds=1)).date()

    first, last = days(start)
    if end:
        last = days(end)[1]
    timed = parse(start).offset_minutes is not None
    assert display_contradiction(display, start, end, (first, last), timed) == why
