"""Official numbering in Chinese numerals, as documents print it: 第十届人民代表大会第二次会议."""

from functools import lru_cache

import cn2an


@lru_cache(maxsize=256)
def cn_number(n: int) -> str:
    """12 → 十二, 10 → 十 (cn2an, "low" = everyday numerals, not the financial 壹贰)."""
    return cn2an.an2cn(int(n), "low")
