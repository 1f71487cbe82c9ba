"""Whatever the names in a file, the encoding detected reads them exactly or the file
is refused naming --encoding: never mojibake. Generated files of Western,
Simplified and Traditional Chinese names in the encodings their Excel writes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbench.core.errors import BadInput
from salesbench.io.encodings import choose

WESTERN = [
    "Crédito",
    "Müller",
    "Köln",
    "Société",
    "Générale",
    "Zürich",
    "São",
    "Paulo",
    "Málaga",
    "Ærø",
    "Øresund",
    "François",
    "Größe",
    "Café",
    "Señor",
    "Niño",
    "Straße",
    "Bäckerei",
    "Ibáñez",
    "Açores",
    "Genève",
    "Wörthersee",
    "Tromsø",
    "Lødingen",
    "Smith",
    "&",
    "Sons",
    "Ltd.",
    "“Best”",
    "Foods",
    "–",
    "Lyon",
    "€uro",
    "Bank",
    "Ølstykke",
    "Ångström",
]
SIMPLIFIED = [
    "华东家具有限公司",
    "北方建材",
    "上海精品家居",
    "广州贸易",
    "深圳科技",
    "杭州丝绸",
    "成都火锅",
    "武汉光电",
    "南京医药",
    "西安旅游",
    "张三",
    "李四",
    "王明",
    "欧阳娜娜",
    "韩梅梅",
    "李雷",
    "采购经理",
    "销售总监",
    "北京",
    "天津",
]
TRADITIONAL = [
    "台北建材有限公司",
    "高雄貿易股份有限公司",
    "新竹科技",
    "香港金融集團",
    "陳大文",
    "林美玲",
    "黃志明",
    "採購經理",
    "業務總監",
    "台中",
    "桃園",
    "九龍",
    "電話",
    "地址",
    "資料",
    "客戶",
]


def files(words: list[str]) -> st.SearchStrategy[str]:
    cell = st.lists(st.sampled_from(words), min_size=1, max_size=3).map(" ".join)
    rows = st.lists(st.tuples(cell, cell), min_size=1, max_size=15)
    return rows.map(lambda rs: "name,city\n" + "".join(f"{a},{b}\n" for a, b in rs))


@pytest.mark.parametrize(
    ("encoding", "words"),
    [
        ("cp1252", WESTERN),
        ("utf-8", WESTERN),
        ("gb18030", SIMPLIFIED),
        ("utf-8", SIMPLIFIED),
        ("big5", TRADITIONAL),
        ("utf-16-le", SIMPLIFIED),
        ("utf-32", TRADITIONAL),
    ],
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_detected_text_is_the_text_or_the_file_is_refused(encoding, words, data) -> None:
    text = data.draw(files(words))
    raw = text.encode(encoding)
    try:
        chosen = choose("f.csv", raw, None, whole=True)
    except BadInput as exc:
        assert "--encoding" in str(exc)
        assert not encoding.startswith("utf")  # Unicode files are never in doubt
        return
    assert raw.decode(chosen.encoding).removeprefix("\ufeff") == text, chosen
