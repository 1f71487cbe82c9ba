"""Files in and out: spreadsheets, JSON, vCard, iCalendar."""
