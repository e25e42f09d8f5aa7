"""Reference data: the activity contents of Decree 45 Art. 4 and the Decree 235 additions, and the
documents each workflow step requires by default (both editable in admin afterwards)."""

import datetime

from django.db import migrations

D45 = "Nghị định 45/2012/NĐ-CP, Điều 4"
D235 = "Nghị định 235/2025/NĐ-CP"
FROM_45 = datetime.date(2012, 7, 5)
FROM_235 = datetime.date(2025, 10, 15)

TRAINING = [
    "trainees",
    "trainees_female",
    "trainees_ethnic",
    "courses",
    "facilities_supported",
    "jobs_created",
]

CATEGORIES = [
    # code, short name, full name, decree, valid_from, advance %, selection, indicators
    (
        "ND45-01",
        "Đào tạo nghề, truyền nghề",
        "Đào tạo nghề, truyền nghề, nâng cao tay nghề (các khóa đào tạo ngắn hạn)",
        D45,
        FROM_45,
        70,
        "xet_chon",
        TRAINING,
    ),
    (
        "ND45-02",
        "Nâng cao năng lực quản lý",
        "Nâng cao năng lực quản lý, năng lực áp dụng sản xuất sạch hơn, khởi sự doanh nghiệp, mở rộng thị trường",
        D45,
        FROM_45,
        70,
        "xet_chon",
        ["trainees", "trainees_female", "trainees_ethnic", "courses", "facilities_supported"],
    ),
    (
        "ND45-03",
        "Mô hình trình diễn, ứng dụng máy móc",
        "Xây dựng mô hình trình diễn kỹ thuật; chuyển giao công nghệ; ứng dụng máy móc thiết bị tiên tiến",
        D45,
        FROM_45,
        70,
        "xet_chon",
        ["demo_models", "machines", "tech_lines", "facilities_supported", "jobs_created"],
    ),
    (
        "ND45-04",
        "Sản phẩm tiêu biểu, hội chợ, triển lãm",
        "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu; tổ chức, tham gia hội chợ, triển lãm",
        D45,
        FROM_45,
        70,
        "dau_thau",
        ["fair_booths", "products_recognised", "facilities_supported"],
    ),
    (
        "ND45-05",
        "Tư vấn",
        "Hỗ trợ tư vấn đầu tư, tiếp thị, thiết kế, công nghệ, tiếp cận chính sách ưu đãi",
        D45,
        FROM_45,
        70,
        "xet_chon",
        ["facilities_supported"],
    ),
    (
        "ND45-06",
        "Thông tin tuyên truyền",
        "Cung cấp thông tin, tuyên truyền (truyền hình, phát thanh, bản tin, trang thông tin, tờ rơi)",
        D45,
        FROM_45,
        70,
        "dau_thau",
        [],
    ),
    (
        "ND45-07",
        "Liên doanh, liên kết, cụm công nghiệp",
        "Hỗ trợ liên doanh, liên kết, hợp tác kinh tế; phát triển cụm công nghiệp; xử lý ô nhiễm môi trường",
        D45,
        FROM_45,
        30,
        "dau_thau",
        ["facilities_supported", "jobs_created"],
    ),
    (
        "ND45-08",
        "Hợp tác quốc tế",
        "Hợp tác quốc tế về khuyến công",
        D45,
        FROM_45,
        70,
        "xet_chon",
        ["facilities_supported"],
    ),
    (
        "ND45-09",
        "Nâng cao năng lực tổ chức thực hiện",
        "Nâng cao năng lực tổ chức thực hiện hoạt động khuyến công, kể cả kiểm tra, giám sát",
        D45,
        FROM_45,
        70,
        "xet_chon",
        ["trainees", "courses"],
    ),
    (
        "ND235-CDS",
        "Chuyển đổi số",
        "Hỗ trợ chuyển đổi số cho cơ sở công nghiệp nông thôn",
        D235,
        FROM_235,
        70,
        "xet_chon",
        ["facilities_supported", "machines"],
    ),
    (
        "ND235-SXTD",
        "Sản xuất và tiêu dùng bền vững",
        "Hỗ trợ sản xuất và tiêu dùng bền vững, sản xuất sạch hơn, tiết kiệm năng lượng",
        D235,
        FROM_235,
        70,
        "xet_chon",
        ["demo_models", "facilities_supported"],
    ),
    (
        "ND235-NN",
        "Hỗ trợ nghệ nhân",
        "Hỗ trợ nghệ nhân truyền nghề, phát triển sản phẩm",
        D235,
        FROM_235,
        70,
        "xet_chon",
        ["trainees", "products_recognised", "facilities_supported"],
    ),
]

REQUIRED = [("approve", "quyet_dinh"), ("contract", "hop_dong"), ("accept", "bien_ban_nghiem_thu")]


def load(apps, schema_editor):
    ActivityCategory = apps.get_model("projects", "ActivityCategory")
    RequiredDocument = apps.get_model("projects", "RequiredDocument")
    for position, (code, short, name, decree, valid_from, pct, selection, indicators) in enumerate(
        CATEGORIES, 1
    ):
        ActivityCategory.objects.update_or_create(
            code=code,
            defaults={
                "short_name": short,
                "name": name,
                "decree": decree,
                "valid_from": valid_from,
                "advance_ceiling_pct": pct,
                "default_selection_method": selection,
                "indicator_kinds": indicators,
                "position": position,
            },
        )
    for transition, document_type in REQUIRED:
        RequiredDocument.objects.get_or_create(transition=transition, document_type=document_type)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
