"""vCard content lines split into name, parameters and value, in linear time."""

from __future__ import annotations

import re

# A content line, NAME;PARAM=value,value;...:value, matched in linear time: vobject's
# own pattern backtracks exponentially on a line such as FN;X=a'=a'=a'... with no
# colon (a few hundred characters hang the import). An unquoted parameter value
# stops at "=", so each "=" or "," starts the next value and nothing is ambiguous.
_LINE = re.compile(
    r"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)"
    r'((?:;[A-Za-z0-9_-]+(?:[=,](?:"[^"]*"|[^";:,=]*))*)*);?:(.*)',
    re.DOTALL,
)
_PARAM = re.compile(r';([A-Za-z0-9_-]+)((?:[=,](?:"[^"]*"|[^";:,=]*))*)')
_PARAM_VALUE = re.compile(r'[=,](?:"([^"]*)"|([^";:,=]*))')


def parse_line(line: str) -> tuple[str, list[list[str]], str] | None:
    """A logical line's name (upper case, `_` read as `-`), its parameters as
    [name, value, ...] lists and its value; None when it is no content line."""
    found = _LINE.match(line)
    if found is None:
        return None
    name, params, value = found.groups()
    parsed = [
        [param, *(quoted or plain for quoted, plain in _PARAM_VALUE.findall(values))]
        for param, values in _PARAM.findall(params)
    ]
    return name.replace("_", "-"), parsed, value
