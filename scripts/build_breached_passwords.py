"""Build ``accounts/data/breached-passwords.txt``: guessable passwords of Vietnamese users, which
Django's own list (20,000 passwords from mostly English-language leaks, CommonPasswordValidator) lacks.

The list is built, not downloaded: Vietnamese words and phrases ("anhyeuem", "matkhau"), common
family and given names, places, office words and keyboard and number patterns, each with the
suffixes people add ("123", "@123", a year). It is a starting point that an administrator extends
with real leak data (one password a line; ``KC_BREACHED_PASSWORDS_FILE`` names another file).
Run ``python scripts/build_breached_passwords.py`` after changing the bases.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "accounts" / "data" / "breached-passwords.txt"

_BASE_TEXT = """
anhyeuem emyeuanh yeuem yeuanh anhyeuemnhieu emyeuanhnhieu iloveyou iloveu loveyou yeuemnhieu
matkhau matkhau123 matkhaumoi doimatkhau quenmatkhau khongbiet khongcomatkhau
vietnam vietnamvodich vietnamoi tiengviet hanoi saigon hochiminh haiphong danang cantho
hue nhatrang dalat vungtau quangninh thanhhoa nghean
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly
nguyenvan nguyenthi tranvan tranthi levan lethi phamvan phamthi
minh anh linh huong trang thao hoa mai lan ngoc tuan hung dung duc long nam hai son
thanh thuy phuong quang hieu trung khanh tien vinh giang ha
conmeo concho meomeo heocon baby babyyeu vocon chongyeu voyeu
hello xinchao chaoban tambiet hihi haha hehe kaka
admin quantri quantri123 administrator user nguoidung taikhoan congty congvan vanphong
sothu kinhdoanh ketoan nhansu hanhchinh
qwerty asdfgh zxcvbn qwertyuiop asdfghjkl zxcvbnm 1qaz2wsx qazwsx
abc abcd abcdef abc123 a123456 aa123456 abcd1234
123456 1234567 12345678 123456789 1234567890 111111 000000 888888 666666 999999 868686 686868
123123 112233 121212 147258 147258369 159753 123321 654321 987654321
"""
BASES = _BASE_TEXT.split()

SUFFIXES = [
    "",
    "1",
    "12",
    "123",
    "1234",
    "12345",
    "123456",
    "@",
    "@1",
    "@12",
    "@123",
    "@1234",
    "123@",
    "!",
    "!@#",
    "@@",
    "#",
    "88",
    "99",
    "86",
    "68",
    "2024",
    "2025",
    "2026",
    "@2024",
    "@2025",
    "@2026",
    "2k",
    "vn",
    "@vn",
    "_vn",
    "vip",
    "pro",
]


def build() -> list[str]:
    found: dict[str, None] = {}
    for base in BASES:
        for suffix in SUFFIXES:
            for word in (base + suffix, base.capitalize() + suffix):
                if len(word) >= 6:
                    found.setdefault(word.lower(), None)
    return sorted(found)


def main() -> None:
    words = build()
    OUT.write_text(
        "# Passwords common in leaks of Vietnamese accounts (scripts/build_breached_passwords.py).\n"
        + "\n".join(words)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(words)} passwords -> {OUT}")


if __name__ == "__main__":
    main()
