"""Relative dates as reporters write them, on every relative date of the seed article."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import timeline
from timeline.core import relative
from timeline.core.dates import explain, parse
from timeline.core.relative import find, resolve

DATELINE = "2020-01-06T12:31+00:00"  # Monday 6 January 2020 12:31 pm, London (GMT)

# The seed article (City A.M., "Boris Johnson to hold crisis talks over Soleimani killing"),
# kept here so the test does not depend on a folder outside the repository.
SEED = """Monday 6 January 2020 12:31 pm

Boris Johnson to hold crisis talks over Soleimani killing

Boris Johnson will hold a series of talks over escalating tensions between Iran and the West in the coming hours, following the assassination of military leader Qasem Soleimani.

The Prime Minister will convene a meeting of senior ministers, including the foreign secretary Dominic Raab and defence secretary Ben Wallace, this afternoon.

He will then chair a National Security Council tomorrow morning, following a regular Cabinet meeting.

Johnson is also due to speak to his Iraqi counterpart today. The Prime Minister’s official spokesman urged the country not to insist on the withdrawal of US troops, saying the coalition was there “to protect Iraqis and others from the threat from Da’esh at the request of the Iraqi government”.

He added: “We urge the Iraqi government to ensure the coalition is able to continue our vital work countering this shared threat.

The spokesman rejected suggestions that Soleimani’s killing was illegal, saying: “The States have a right to take action such as this in self defence and the US have been clear that Soleimani was plotting imminent attacks on American diplomats and military personnel.”

However he refused to comment on whether the UK government had been shown any evidence to justify this claim.

He insisted the UK continues to have a “very close” partnership with the US, despite being given no prior warning of the attack, which took place on Friday.

Urging restraint on all sides, the spokesman described Iran’s decision to pull back from the joint nuclear deal as “very concerning”.

Flagging that it was a reciprocal deal, he added that the UK is “speaking to our partners about next steps”. Johnson and European counterparts Angela Merkel, Emmanuel Macron issued a joint statement yesterday, urging “Iran to reverse all measures inconsistent with the JCPOA”.

Today the spokesman also warned that it would oppose any move by the US to attack cultural sites in Iran – something which President Donald Trump has signalled he is willing to do.

Trump told reporters this weekend: “They’re allowed to kill our people. They’re allowed to torture and maim our people. They’re allowed to use roadside bombs and blow up our people, and we’re not allowed to touch their cultural sites? It doesn’t work that way.”

But, the Downing Street spokesman said there were “international conventions that prevent the destruction of cultural heritage”, although stopped short of describing it as a potential war crime.
"""

# Every date expression in the seed, in reading order, with the sentence it sits in and
# what it resolves to: (expression, sentence, start, end, display_date, precision).
SEED_DATES = [
    (
        "Monday 6 January 2020 12:31 pm",
        "Monday 6 January 2020 12:31 pm",
        "2020-01-06T12:31+00:00",
        "",
        "",
        "minute",
    ),
    (
        "in the coming hours",
        "Boris Johnson will hold a series of talks ... in the coming hours",
        "2020-01-06",
        "",
        "Monday 6 January 2020, in the hours after 12:31 (UTC+00:00)",
        "day",
    ),
    (
        "this afternoon",
        "The Prime Minister will convene a meeting of senior ministers ... this afternoon.",
        "2020-01-06",
        "",
        "Monday 6 January 2020, afternoon (UTC+00:00)",
        "day",
    ),
    (
        "tomorrow morning",
        "He will then chair a National Security Council tomorrow morning, following a "
        "regular Cabinet meeting.",
        "2020-01-07",
        "",
        "Tuesday 7 January 2020, morning (UTC+00:00)",
        "day",
    ),
    (
        "today",
        "Johnson is also due to speak to his Iraqi counterpart today.",
        "2020-01-06",
        "",
        "",
        "day",
    ),
    (
        "on Friday",
        "despite being given no prior warning of the attack, which took place on Friday.",
        "2020-01-03",
        "",
        "",
        "day",
    ),
    (
        "yesterday",
        "Johnson and European counterparts Angela Merkel, Emmanuel Macron issued a joint "
        "statement yesterday",
        "2020-01-05",
        "",
        "",
        "day",
    ),
    (
        "Today",
        "Today the spokesman also warned that it would oppose any move by the US",
        "2020-01-06",
        "",
        "",
        "day",
    ),
    (
        "this weekend",
        "Trump told reporters this weekend:",
        "2020-01-04",
        "2020-01-05",
        "the weekend of 4–5 January 2020",
        "day",
    ),
]


@pytest.mark.parametrize(
    "expression,sentence,start,end,display,precision", SEED_DATES, ids=[d[0] for d in SEED_DATES]
)
def test_every_seed_expression_in_its_sentence(
    expression, sentence, start, end, display, precision
):
    r = resolve(sentence, dateline=DATELINE)
    assert (r.text, r.start, r.end, r.display_date, r.precision) == (
        expression,
        start,
        end,
        display,
        precision,
    )
    assert r.note, "every resolution says how it was read"


@pytest.mark.parametrize(
    "expression,sentence,start,end,display,precision", SEED_DATES, ids=[d[0] for d in SEED_DATES]
)
def test_every_seed_expression_alone(expression, sentence, start, end, display, precision):
    """The bare expression gives the same answer (a bare weekday is the last one)."""
    r = relative.resolve(expression, dateline=DATELINE)
    assert (r.start, r.end, r.display_date, r.precision) == (start, end, display, precision)


def test_the_seed_article_holds_exactly_these_dates():
    found = find(SEED, dateline=DATELINE)
    assert [r.text for r in found] == [d[0] for d in SEED_DATES]
    assert [r.start for r in found] == [d[2] for d in SEED_DATES]
    for r in found:
        assert SEED[r.span[0] : r.span[1]].strip() == r.text


@pytest.mark.parametrize(
    "text,start,end,precision,display_has",
    [
        ("Friday", "2020-01-03", "", "day", ""),
        ("Sunday", "2020-01-05", "", "day", ""),
        ("Monday", "2020-01-06", "", "day", ""),
        ("yesterday", "2020-01-05", "", "day", ""),
        ("today", "2020-01-06", "", "day", ""),
        ("tomorrow", "2020-01-07", "", "day", ""),
        ("the day before yesterday", "2020-01-04", "", "day", ""),
        ("this morning", "2020-01-06", "", "day", "morning"),
        ("tonight", "2020-01-06", "", "day", "evening"),
        ("last night", "2020-01-05", "", "day", "night"),
        ("Friday night", "2020-01-03", "", "day", "Friday 3 January 2020, night"),
        ("this weekend", "2020-01-04", "2020-01-05", "day", "weekend"),
        ("last weekend", "2020-01-04", "2020-01-05", "day", "weekend"),
        ("next weekend", "2020-01-11", "2020-01-12", "day", "weekend"),
        (
            "last week",
            "2019-12-30",
            "2020-01-05",
            "day",
            "week of 30 December 2019 to 5 January 2020",
        ),
        ("this week", "2020-01-06", "2020-01-12", "day", "week"),
        ("next week", "2020-01-13", "2020-01-19", "day", "week"),
        ("last month", "2019-12", "", "month", ""),
        ("this year", "2020", "", "year", ""),
        ("last Friday", "2020-01-03", "", "day", ""),
        ("next Friday", "2020-01-10", "", "day", ""),
        ("this Friday", "2020-01-10", "", "day", ""),
        ("three days ago", "2020-01-03", "", "day", ""),
        ("in two days", "2020-01-08", "", "day", ""),
        ("overnight", "2020-01-05", "2020-01-06", "day", "overnight"),
        ("3 January", "2020-01-03", "", "day", ""),
        ("Friday 3 January 2020", "2020-01-03", "", "day", ""),
        ("January 3, 2020", "2020-01-03", "", "day", ""),
        ("29 December", "2019-12-29", "", "day", ""),
        ("2020-01-03T00:47+03:00", "2020-01-03T00:47+03:00", "", "minute", ""),
    ],
)
def test_expressions(text, start, end, precision, display_has):
    r = resolve(text, dateline=DATELINE)
    assert (r.start, r.end, r.precision) == (start, end, precision)
    assert display_has in r.display_date
    if not display_has:
        assert r.display_date == ""


@pytest.mark.parametrize(
    "text,start",
    [
        ("today at 3pm", "2020-01-06T15:00+00:00"),
        ("at 3.30 p.m. yesterday", "2020-01-05T15:30+00:00"),
        ("tomorrow at 09:15", "2020-01-07T09:15+00:00"),
        ("at noon on Friday", "2020-01-03T12:00+00:00"),
        ("6 January 2020 12:31 pm", "2020-01-06T12:31+00:00"),
        ("6 January 2020 12:05 am", "2020-01-06T00:05+00:00"),
    ],
)
def test_a_clock_time_takes_the_datelines_offset(text, start):
    r = resolve(text, dateline=DATELINE)
    assert (r.start, r.precision) == (start, "minute")
    assert explain(r.start) is None


def test_a_baghdad_dateline_keeps_its_offset():
    r = resolve("tonight at 9pm", dateline="2020-01-03T08:00+03:00")
    assert r.start == "2020-01-03T21:00+03:00"
    # the local day counts, not the UTC one (00:30 in Baghdad is still 2 January in UTC)
    assert resolve("today", dateline="2020-01-03T00:30+03:00").start == "2020-01-03"


def test_parts_of_the_day_never_invent_a_time():
    for text in (
        "this afternoon",
        "tomorrow morning",
        "last night",
        "this evening",
        "Sunday evening",
    ):
        r = resolve(text, dateline=DATELINE)
        assert r.precision == "day" and "T" not in r.start, text
        assert parse(r.start).precision == "day"
        assert r.display_date, text


def test_tense_decides_a_bare_weekday():
    assert resolve("the talks will take place on Friday", dateline=DATELINE).start == "2020-01-10"
    assert resolve("the strike took place on Friday", dateline=DATELINE).start == "2020-01-03"
    assert resolve("Friday", dateline=DATELINE, tense="future").start == "2020-01-10"
    assert resolve("Friday", dateline=DATELINE, tense="past").start == "2020-01-03"
    assert "tense='future'" in resolve("Friday", dateline=DATELINE).note


def test_this_weekend_depends_on_the_datelines_day():
    assert resolve("this weekend", dateline="2020-01-08").fields() == {
        "start": "2020-01-11",
        "end": "2020-01-12",
        "display_date": "the weekend of 11–12 January 2020",
    }
    assert (
        resolve("this weekend", dateline="2020-01-05").start == "2020-01-04"
    )  # a Sunday: this one
    assert resolve("Trump told reporters this weekend", dateline="2020-01-08").start == "2020-01-04"
    assert resolve("last weekend", dateline="2020-01-05").start == "2019-12-28"


def test_dateline_forms():
    aware = datetime(2020, 1, 6, 12, 31, tzinfo=timezone.utc)
    assert resolve("yesterday", dateline=aware).start == "2020-01-05"
    assert resolve("yesterday", dateline=date(2020, 1, 6)).start == "2020-01-05"
    london = datetime(2020, 1, 6, 12, 31, tzinfo=timezone(timedelta(0)))
    assert resolve("this afternoon", dateline=london, zone="London").display_date == (
        "Monday 6 January 2020, afternoon (London)"
    )
    # a day-only dateline cannot give a clock time an offset: the time goes to display_date
    r = resolve("today at 3pm", dateline="2020-01-06")
    assert (r.start, r.precision) == ("2020-01-06", "day")
    assert r.display_date == "Monday 6 January 2020, 15:00 (time zone not known)"


@pytest.mark.parametrize(
    "text,dateline,message",
    [
        ("the talks", DATELINE, "holds no date I can read; write e.g. 'yesterday'"),
        ("Tuesday 6 January 2020", DATELINE, "6 January 2020 is a Monday, not a Tuesday"),
        ("30 February 2020", DATELINE, "is not a real date"),
        ("yesterday", "2020-01", "relative dates need the article's day"),
        ("yesterday", "06/01/2020", "ambiguous"),
        ("yesterday", datetime(2020, 1, 6, 12, 31), "has no UTC offset"),
        ("earlier this week", DATELINE, "names no earlier day of the week"),
    ],
)
def test_errors_say_what_to_write(text, dateline, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve(text, dateline=dateline)


def test_results_are_valid_event_dates(valid_folder):
    """What resolve gives goes straight into an event and passes the contract."""
    ds = timeline.load(valid_folder)
    for i, (expression, *_rest) in enumerate(SEED_DATES):
        r = resolve(expression, dateline=DATELINE)
        problems = ds.draft_problems(
            "events",
            {
                "id": f"e{i}",
                **r.fields(),
                "title": "t",
                "category": "diplomacy",
                "sources": "src-a",
            },
        )
        assert [p for p in problems if p.severity == "error"] == [], expression
        assert r.reads()
