"""The demo logins, importable without Django set up (``make run`` prints them)."""

DEMO_PASSWORD = "khuyencong2026"

# (username, (first name, last name), organisation key, role, description)
DEMO_USERS = [
    ("cv.phutho", ("Nguyễn Thị", "Hương"), "phutho_centre", "staff", "chuyên viên, Phú Thọ"),
    ("ld.phutho", ("Trần Văn", "Minh"), "phutho_department", "manager", "lãnh đạo, Phú Thọ"),
    ("cv.hanoi", ("Lê Thu", "Trang"), "hanoi_centre", "staff", "chuyên viên, Hà Nội"),
    ("ld.hanoi", ("Phạm Quốc", "Bảo"), "hanoi_department", "manager", "lãnh đạo, Hà Nội"),
    ("ld.trunguong", ("Đỗ Thanh", "Hà"), "national", "manager", "lãnh đạo, toàn quốc"),
    ("quantri", ("Quản trị", "Hệ thống"), "national", "admin", "quản trị, Django admin"),
]
