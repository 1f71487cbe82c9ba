"""Computed reports dressed as documents: titles, what they cover, notes and charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from salesbench.core.i18n import _
from salesbench.core.weekly import WeeklyReport
from salesbench.core.workday import zone
from salesbench.io.reports import Chart, Document

LEADERBOARD_BARS = 15


def local_minute(at: datetime, tz: str) -> str:
    return at.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M %Z")


def weekly_document(report: WeeklyReport, notes: Sequence[str] = ()) -> Document:
    """The weekly report with its title, what it covers, `notes` on whose figures it
    shows, and its charts."""
    period = report.period
    meta = {
        "week": period.label,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "timezone": period.tz,
        "scope": report.scope,
        "as_of": local_minute(min(report.now, period.end), period.tz),
        "complete": report.complete,
        "previous_week": report.previous.label,
        # amounts are summed per currency: one column per currency when there are several
        "currencies": list(report.currencies),
    }
    notes = list(notes)
    if not report.complete:
        notes.append(
            _(
                "The week is still running: counts go up to now, and week-end figures "
                "(overdue, pipeline, cadence) are taken now."
            )
        )
    funnel = report.table("funnel")
    trend = report.table("trend")
    tasks = [r for r in report.table("tasks").rows if r["level"] == "rep"]
    tasks.sort(key=lambda r: (-r["done"], r["name"]))
    charts = [
        Chart(
            "bars",
            _("Open opportunities by stage"),
            [f"{r['playbook']} · {r['stage']}" for r in funnel.rows],
            [(_("open"), [r["open"] for r in funnel.rows])],
        ),
        Chart(
            "line",
            _("Weekly trend"),
            [r["week"][5:] for r in trend.rows],
            [
                (_("activities"), [r["activities"] for r in trend.rows]),
                (_("tasks done"), [r["tasks_done"] for r in trend.rows]),
                (_("new opportunities"), [r["new"] for r in trend.rows]),
            ],
        ),
        Chart(
            "bars",
            _("Tasks done this week"),
            [r["name"] for r in tasks[:LEADERBOARD_BARS]],
            [(_("done"), [r["done"] for r in tasks[:LEADERBOARD_BARS]])],
        ),
    ]
    return Document(
        "weekly",
        _("Weekly report {week} — {scope}").format(week=period.label, scope=report.scope),
        meta,
        report.tables,
        notes,
        charts,
    )
