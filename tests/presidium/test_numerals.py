"""One Chinese-numeral helper serves every document (session names, terms, report prose)."""

import pytest

from presidium.numerals import cn_number


@pytest.mark.parametrize(
    ("n", "written"),
    [
        (1, "一"),
        (2, "二"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (101, "一百零一"),
        (110, "一百一十"),
    ],
)
def test_numbers_are_written_as_official_documents_write_them(n, written):
    assert cn_number(n) == written


def test_the_report_prose_names_sessions_with_the_same_numerals():
    from reports import prose

    assert prose.session_name(12, 2) == "第十二届人民代表大会第二次会议"
