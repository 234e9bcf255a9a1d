"""Files for volunteers and staff: roster and hours exports (XLSX, CSV) and the 志愿服务时长证明 (PNG).

Pure functions from domain objects to bytes, like the views. Phone numbers are masked in every
export: staff reach volunteers through the bot (edits and cancellations are announced to everyone
booked), so a roster never needs a full number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.fonts import cjk_font_path
from bot.models import Shift
from bot.services.privacy import mask_phone
from bot.services.volunteers import HoursRow, RosterEntry, ServiceRecord, hours_text
from bot.timeutil import DEFAULT_TZ, format_local
from handlers.volunteers import texts

Table = tuple[Sequence[str], list[list[object]]]
ISO_DATE = "%Y-%m-%d"


def roster_table(entries: Sequence[RosterEntry], tz: ZoneInfo = DEFAULT_TZ) -> Table:
    def when(value: datetime | None) -> str:
        return format_local(value, tz) if value else ""

    rows: list[list[object]] = []
    for n, entry in enumerate(entries, 1):
        profile, booking = entry.profile, entry.booking
        rows.append(
            [
                n,
                profile.real_name if profile else "",
                mask_phone(profile.phone) if profile else "",
                profile.district if profile else "",
                profile.community if profile else "",
                texts.ROSTER_SECTIONS.get(entry.section, entry.section),
                when(booking.booked_at),
                when(booking.checked_in_at),
                when(booking.checked_out_at),
                float(hours_text(booking.service_minutes)),
            ]
        )
    return texts.ROSTER_COLUMNS, rows


def hours_table(rows: Sequence[HoursRow]) -> Table:
    return texts.HOURS_COLUMNS, [
        [
            r.profile.real_name,
            mask_phone(r.profile.phone),
            r.profile.district,
            r.profile.community,
            r.count,
            float(hours_text(r.minutes)),
        ]
        for r in rows
    ]


def to_xlsx(title: str, table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns, rows = table
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(columns, 1):
        width = max([len(str(column)) * 2, *(len(str(r[index - 1])) * 2 for r in rows)], default=8)
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(40, max(8, width))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it without garbling."""
    columns, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def render_certificate(
    *,
    name: str,
    record: ServiceRecord,
    city: str,
    issued: datetime,
    number: str,
    tz: ZoneInfo = DEFAULT_TZ,
    max_rows: int = 12,
) -> bytes:
    """A one-page A4-proportioned PNG: who, when, how many shifts, how many hours, and the shifts."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1240, 1754
    image = Image.new("RGB", (width, height), "#fffdf6")
    draw = ImageDraw.Draw(image)
    font_path = str(cjk_font_path())

    def font(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(font_path, size)

    red = "#b3261e"
    draw.rectangle((40, 40, width - 40, height - 40), outline=red, width=6)
    draw.rectangle((60, 60, width - 60, height - 60), outline=red, width=2)
    title_font = font(72)
    title = texts.CERT_TITLE
    draw.text(((width - draw.textlength(title, font=title_font)) / 2, 140), title, fill=red, font=title_font)

    shifts = record.entries
    start = format_local(shifts[0][0].starts_at, tz, texts.CERT_DATE)
    end = format_local(shifts[-1][0].starts_at, tz, texts.CERT_DATE)
    body = texts.CERT_BODY.format(
        name=name, start=start, end=end, city=city, count=len(shifts), hours=hours_text(record.minutes)
    )
    y = 300
    for line in _wrap(draw, body, font(36), width - 240):
        draw.text((120, y), line, fill="#222222", font=font(36))
        y += 56

    y += 30
    columns = texts.CERT_TABLE_HEADER
    xs = [120, 330, 620, 960]
    small = font(28)
    for x, column in zip(xs, columns, strict=True):
        draw.text((x, y), column, fill=red, font=small)
    y += 46
    draw.line((120, y - 8, width - 120, y - 8), fill=red, width=2)
    shown: list[tuple[Shift, int]] = [(s, b.service_minutes) for s, b in shifts[-max_rows:]]
    for shift, minutes in shown:
        cells = [
            format_local(shift.starts_at, tz, ISO_DATE),
            _clip(draw, shift.title, small, 270),
            _clip(draw, shift.place, small, 320),
            hours_text(minutes),
        ]
        for x, cell in zip(xs, cells, strict=True):
            draw.text((x, y), cell, fill="#333333", font=small)
        y += 44
    if len(shifts) > max_rows:
        draw.text((120, y), texts.CERT_MORE.format(n=len(shifts) - max_rows), fill="#666666", font=small)
        y += 44

    issuer = texts.CERT_ISSUER.format(city=city)
    issuer_font = font(34)
    issuer_x = width - 120 - draw.textlength(issuer, font=issuer_font)
    draw.text((issuer_x, height - 380), issuer, fill="#222222", font=issuer_font)
    date_text = format_local(issued, tz, texts.CERT_DATE)
    draw.text(
        (width - 120 - draw.textlength(date_text, font=issuer_font), height - 320),
        date_text,
        fill="#222222",
        font=issuer_font,
    )
    # No imitation seal: the office stamps a printed copy when it needs one.
    draw.text((issuer_x, height - 440), texts.CERT_STAMP, fill="#999999", font=font(26))
    footer = texts.CERT_FOOTER.format(number=number, date=format_local(issued, tz, ISO_DATE))
    draw.text((120, height - 180), footer, fill="#555555", font=font(24))
    for i, line in enumerate(_wrap(draw, texts.CERT_NOTE, font(22), width - 240)):
        draw.text((120, height - 140 + i * 32), line, fill="#777777", font=font(22))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _wrap(draw: object, text: str, font: object, width: int) -> list[str]:
    lines, current = [], ""
    for char in text:
        if draw.textlength(current + char, font=font) > width:  # type: ignore[attr-defined]
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines


def _clip(draw: object, text: str, font: object, width: int) -> str:
    if draw.textlength(text, font=font) <= width:  # type: ignore[attr-defined]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[attr-defined]
        text = text[:-1]
    return text + "…"
