"""Inspections (暗访督查): the campaign office's own unannounced site inspections.

- ``content``: the standards and sites files (``data/standards.yaml``, ``data/sites.yaml``), checked
  against the departments and districts files;
- ``walk``: an inspector's draft, item by item, located at the site, then submitted with its score;
- ``rectification``: each failed item a task for its unit — answer, re-check, return, time limits;
- ``queries``: /rectifications and a task's details; ``scores``: the period's figures (aggregate SQL);
- ``records``: personal data (/mydata, /forget) and the month's records for the export.

No wording and no Telegram here: refusals are ``InspectionError`` codes (``errors``).
"""

from bot.services.inspections.content import (
    ContentError,
    ContentProblem,
    InspectionContent,
    Place,
    PlaceKind,
    Site,
    SiteType,
    StandardItem,
    Standards,
    Unit,
    load_content,
)
from bot.services.inspections.errors import (
    InspectionError,
    InspectionNotFound,
    InspectionProblem,
    NotAllowed,
)
from bot.services.inspections.queries import TaskDetail, TaskFilter, TaskPage
from bot.services.inspections.records import (
    MonthRecords,
    erase_user_data,
    export_user_data,
    month_records,
)
from bot.services.inspections.rectification import (
    MAX_REPLY_PHOTOS,
    OVERDUE_KIND,
    RETURN_HOURS,
    WARN_KIND,
    Deadlines,
)
from bot.services.inspections.scores import BoardEntry, PeriodFigures, ScoreGroup, TaskFigures
from bot.services.inspections.walk import MAX_PHOTOS, Answer, Stamp, Submission, Walk

__all__ = [
    "MAX_PHOTOS",
    "MAX_REPLY_PHOTOS",
    "OVERDUE_KIND",
    "RETURN_HOURS",
    "WARN_KIND",
    "Answer",
    "BoardEntry",
    "ContentError",
    "ContentProblem",
    "Deadlines",
    "InspectionContent",
    "InspectionError",
    "InspectionNotFound",
    "InspectionProblem",
    "MonthRecords",
    "NotAllowed",
    "PeriodFigures",
    "Place",
    "PlaceKind",
    "ScoreGroup",
    "Site",
    "SiteType",
    "Stamp",
    "StandardItem",
    "Standards",
    "Submission",
    "TaskDetail",
    "TaskFigures",
    "TaskFilter",
    "TaskPage",
    "Unit",
    "Walk",
    "erase_user_data",
    "export_user_data",
    "load_content",
    "month_records",
]
