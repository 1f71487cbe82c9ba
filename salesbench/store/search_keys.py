"""How each name is spelled in pinyin, for search by pinyin and by its initials.

Keyed by the text itself, not by a record: two customers named 李娜 share one row,
a renamed record simply finds (or adds) the row of its new name, and no write path
has to remember to keep it. The rows are derived data: a backup leaves them out and
the search adds whatever names are missing before it looks (services/search_index).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from salesbench.store.columns import created_stamp, updated_stamp


class SearchKey(SQLModel, table=True):
    __tablename__ = "search_key"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    text: str = Field(max_length=500, unique=True)
    # every reading, "|"-separated (a surname's too: 单 is dan or shan), lower case
    spelled: str = Field(max_length=4000)
    initials: str = Field(max_length=2000)
    # which speller wrote it (services/search_index.SPELLER): a better one respells
    speller: int = Field(default=1)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()
