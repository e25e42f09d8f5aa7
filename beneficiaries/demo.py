"""Demo facilities: about 30 in Phú Thọ (many in former Hòa Bình and Vĩnh Phúc communes), a few in Hà
Nội, and their craft villages. Idempotent: a facility already there (same province and name) is kept."""

from __future__ import annotations

from typing import Any

from stdnum.vn import mst

from regions.models import Commune, LegacyCommune, Province

from .models import CraftVillage, Facility, Sector
from .services import facility_create

# name, commune, kind, VSIC codes, main products, (workers, female, ethnic minority), revenue (đồng),
# year founded, representative, flags (w = women-owned, m = minority-owned, d = disadvantaged area),
# craft village
PHUTHO: list[tuple[Any, ...]] = [
    ("Hợp tác xã Dệt thổ cẩm Mai Châu", "Xã Mai Châu", "htx", ["1312", "1392"], "Thổ cẩm, khăn, túi dệt tay",
     (42, 39, 40), 2_150_000_000, 2009, "Hà Thị Lả", "wmd", "Làng nghề dệt thổ cẩm bản Lác"),
    ("Hộ kinh doanh Mây tre đan Bùi Văn Thắng", "Xã Lạc Sơn", "ho_kinh_doanh", ["1629"], "Giỏ, làn mây tre",
     (9, 6, 9), 420_000_000, 2015, "Bùi Văn Thắng", "md", None),
    ("Công ty TNHH Chế biến nông sản Cao Phong", "Xã Cao Phong", "dnnvv", ["1030", "1079"],
     "Cam sấy, nước cam ép", (68, 41, 30), 14_600_000_000, 2012, "Nguyễn Văn Hưng", "d", None),
    ("Hợp tác xã Rượu cần Mường Bi", "Xã Mường Bi", "htx", ["1101"], "Rượu cần, rượu men lá",
     (24, 15, 24), 1_380_000_000, 2016, "Bùi Thị Mai", "wmd", None),
    ("Hộ kinh doanh Mộc mỹ nghệ Kim Bôi", "Xã Kim Bôi", "ho_kinh_doanh", ["3100", "1629"],
     "Bàn ghế, tượng gỗ mỹ nghệ", (7, 1, 6), 650_000_000, 2011, "Quách Văn Tâm", "md", None),
    ("Hợp tác xã Miến dong Tân Lạc", "Xã Tân Lạc", "htx", ["1062", "1074"], "Miến dong, tinh bột dong riềng",
     (31, 22, 28), 3_900_000_000, 2014, "Đinh Thị Nhung", "wmd", None),
    ("Công ty TNHH Gốm Lương Sơn", "Xã Lương Sơn", "dnnvv", ["2393"], "Gốm mỹ nghệ, gốm gia dụng",
     (55, 20, 11), 8_250_000_000, 2018, "Trần Minh Đức", "", None),
    ("Hợp tác xã Chè Thượng Cốc", "Xã Thượng Cốc", "htx", ["1076"], "Chè xanh, chè búp khô",
     (27, 19, 25), 1_760_000_000, 2010, "Bùi Văn Sơn", "md", None),
    ("Tổ hợp tác Thêu dệt Đà Bắc", "Xã Đà Bắc", "to_hop_tac", ["1392", "1399"], "Khăn thêu, váy Dao",
     (18, 18, 18), 360_000_000, 2019, "Triệu Thị Hoa", "wmd", None),
    ("Hợp tác xã Gốm Hương Canh", "Xã Bình Xuyên", "htx", ["2393", "2392"], "Chum, vại, gốm đất nung",
     (36, 14, 0), 2_900_000_000, 2007, "Nguyễn Văn Canh", "", "Làng nghề gốm Hương Canh"),
    ("Hộ kinh doanh Chế biến chè Tam Dương", "Xã Tam Dương", "ho_kinh_doanh", ["1076"], "Chè búp sấy",
     (6, 4, 0), 380_000_000, 2017, "Lê Thị Thu", "w", None),
    ("Hợp tác xã Chè Long Cốc", "Xã Long Cốc", "htx", ["1076"], "Chè xanh Long Cốc, chè đinh",
     (48, 30, 35), 4_200_000_000, 2013, "Hà Văn Tuấn", "md", "Làng nghề chè Long Cốc"),
    ("Hộ kinh doanh Nón lá Sai Nga", "Xã Cẩm Khê", "ho_kinh_doanh", ["1629"], "Nón lá, nón bài thơ",
     (11, 10, 0), 290_000_000, 2004, "Nguyễn Thị Hằng", "w", "Làng nghề nón lá Sai Nga"),
    ("Công ty TNHH Cơ khí nông nghiệp Phù Ninh", "Xã Phù Ninh", "dnnvv", ["2821", "2592"],
     "Máy tuốt lúa, máy sao chè", (62, 9, 0), 18_700_000_000, 2008, "Phạm Quốc Khánh", "", None),
    ("Hợp tác xã Bưởi Đoan Hùng", "Xã Đoan Hùng", "htx", ["1030"], "Bưởi sơ chế, tinh dầu bưởi",
     (22, 13, 2), 2_400_000_000, 2012, "Nguyễn Văn Đoan", "", None),
    ("Công ty cổ phần Gạch không nung Lâm Thao", "Xã Lâm Thao", "dnnvv", ["2395"], "Gạch block, terrazzo",
     (74, 12, 0), 26_300_000_000, 2015, "Vũ Đình Lâm", "", None),
    ("Hộ kinh doanh Bánh tai Thanh Ba", "Xã Thanh Ba", "ho_kinh_doanh", ["1071"], "Bánh tai, bánh nẳng",
     (5, 4, 0), 210_000_000, 2020, "Đỗ Thị Ngân", "w", None),
    ("Hợp tác xã Mộc Thanh Lãng", "Phường Xuân Hòa", "htx", ["3100", "1622"], "Đồ gỗ nội thất",
     (45, 8, 0), 6_800_000_000, 2011, "Trịnh Văn Lãng", "", "Làng nghề mộc Thanh Lãng"),
    ("Hộ kinh doanh Rèn Lý Nhân", "Xã Vĩnh Tường", "ho_kinh_doanh", ["2593"], "Dao, cuốc, liềm rèn tay",
     (8, 1, 0), 520_000_000, 2006, "Nguyễn Văn Nhân", "", None),
    ("Tổ hợp tác Đan lát Yên Lạc", "Xã Yên Lạc", "to_hop_tac", ["1629"], "Rổ, rá, mành tre",
     (26, 21, 0), 640_000_000, 2018, "Lê Thị Lạc", "w", None),
    ("Công ty TNHH Thực phẩm Tam Đảo", "Xã Tam Đảo", "dnnvv", ["1075", "1010"], "Su su, thịt gác bếp",
     (33, 20, 6), 5_100_000_000, 2019, "Ngô Văn Đảo", "d", None),
    ("Hợp tác xã Mật ong Yên Lập", "Xã Yên Lập", "htx", ["1079"], "Mật ong rừng, sáp ong",
     (14, 6, 9), 980_000_000, 2016, "Hà Văn Lập", "md", None),
    ("Hộ kinh doanh Miến gạo Lạc Thủy", "Xã Lạc Thủy", "ho_kinh_doanh", ["1074"], "Miến gạo, bún khô",
     (6, 4, 3), 310_000_000, 2021, "Bùi Thị Thủy", "wmd", None),
    ("Hợp tác xã Cam Yên Thủy", "Xã Yên Thủy", "htx", ["1030"], "Cam sơ chế, đóng hộp",
     (20, 9, 12), 1_900_000_000, 2017, "Bạch Công Thủy", "md", None),
    ("Hộ kinh doanh Dệt may Pà Cò", "Xã Pà Cò", "ho_kinh_doanh", ["1410"], "Trang phục dân tộc Mông",
     (5, 5, 5), 150_000_000, 2022, "Giàng Thị Pà", "wmd", None),
    ("Công ty TNHH Bao bì giấy Việt Trì", "Phường Việt Trì", "dnnvv", ["1702"], "Thùng carton, túi giấy",
     (88, 40, 0), 34_500_000_000, 2010, "Đặng Văn Trì", "", None),
    ("Hộ kinh doanh Mộc Hòa Bình", "Phường Hòa Bình", "ho_kinh_doanh", ["3100"], "Tủ, giường gỗ",
     (4, 0, 2), 240_000_000, 2014, "Xa Văn Bình", "m", None),
    ("Hợp tác xã Thanh Sơn Xanh", "Xã Thanh Sơn", "htx", ["1080"], "Thức ăn chăn nuôi từ phụ phẩm",
     (19, 7, 10), 1_250_000_000, 2020, "Hà Thị Xanh", "wmd", None),
]  # fmt: skip

HANOI: list[tuple[Any, ...]] = [
    ("Hợp tác xã Gốm sứ Bát Tràng", "Xã Bát Tràng", "htx", ["2393"], "Gốm sứ gia dụng, mỹ nghệ",
     (120, 58, 0), 48_000_000_000, 2000, "Lê Văn Bát", "", "Làng gốm Bát Tràng"),
    ("Hộ kinh doanh Mây tre giang đan Chương Mỹ", "Xã Phú Nghĩa", "ho_kinh_doanh", ["1629"],
     "Mây tre giang đan xuất khẩu", (14, 11, 0), 760_000_000, 2012, "Nguyễn Thị Nghĩa", "w", None),
    ("Công ty TNHH Mỹ nghệ Ba Vì", "Xã Ba Vì", "dnnvv", ["3290"], "Đồ lưu niệm, sản phẩm mỹ nghệ",
     (37, 22, 8), 6_300_000_000, 2015, "Đỗ Văn Vì", "", None),
    ("Công ty TNHH Lụa Vạn Phúc", "Phường Hà Đông", "dnnvv", ["1312"], "Lụa tơ tằm",
     (26, 18, 0), 9_400_000_000, 2005, "Triệu Văn Phúc", "", None),
]  # fmt: skip

TAX_PREFIX = {"Tỉnh Phú Thọ": "2600", "Thành phố Hà Nội": "0109"}
ID_PREFIX = {"Tỉnh Phú Thọ": "025", "Thành phố Hà Nội": "001"}


def _tax_code(prefix: str, index: int) -> str:
    """A deterministic valid tax code for demo row ``index`` (skips numbers without a check digit)."""
    n = index * 7919
    while True:
        nine = f"{prefix}{n % 100000:05d}"
        candidate = nine + str(mst.calc_check_digit(nine))
        if mst.is_valid(candidate):
            return candidate
        n += 1


def _commune(province: Province, name: str) -> Commune:
    found = Commune.objects.filter(province=province, name=name).first()
    commune = found or Commune.objects.filter(province=province, kind="xã").order_by("code").first()
    if commune is None:
        raise LookupError(f"{province}: no commune to seed the demo with")
    return commune


def _village(province: Province, commune: Commune, name: str | None, craft: str) -> CraftVillage | None:
    if not name:
        return None
    village, _ = CraftVillage.objects.get_or_create(
        commune=commune,
        name=name,
        defaults={"province": province, "main_craft": craft, "recognised_year": 2010},
    )
    return village


def _seed(province: Province, specs: list[tuple[Any, ...]], user: Any) -> int:
    created = 0
    sectors = {s.code: s for s in Sector.objects.all()}
    for index, spec in enumerate(specs, start=1):
        name, commune_name, kind, codes, products, workers, revenue, year, rep, flags, village = spec
        if Facility.objects.filter(province=province, name=name).exists():
            continue
        commune = _commune(province, commune_name)
        household = kind == "ho_kinh_doanh"
        # Households: every other one registered by the owner's personal ID only (since 1/7/2025).
        by_personal_id = household and index % 2 == 0
        legacy = LegacyCommune.objects.filter(commune=commune).order_by("code").first()
        data = {
            "name": name,
            "kind": kind,
            "tax_code": "" if by_personal_id else _tax_code(TAX_PREFIX[province.name], index),
            "personal_id": f"{ID_PREFIX[province.name]}{180000000 + index * 37:09d}"
            if by_personal_id
            else "",
            "business_reg_no": f"{TAX_PREFIX[province.name][:2]}{index:02d}{year % 100:02d}000{index:03d}",
            "representative": rep,
            "phone": f"09{(index * 7654321) % 100000000:08d}",
            "address": f"Thôn {commune.name.split(' ', 1)[-1]} {index % 5 + 1}",
            "commune": commune,
            "legacy_commune": legacy,
            "craft_village": _village(province, commune, village, products),
            "main_products": products,
            "year_founded": year,
            "workers_total": workers[0],
            "workers_female": workers[1],
            "workers_ethnic_minority": workers[2],
            "annual_revenue": revenue,
            "women_owned": "w" in flags,
            "minority_owned": "m" in flags,
            "disadvantaged_area": "d" in flags,
        }
        facility_create(user=user, data=data, sectors=[sectors[c] for c in codes if c in sectors])
        created += 1
    return created


def seed(context: dict[str, Any]) -> None:
    """Create the demo facilities (skipped when already there)."""
    users, out = context["users"], context["stdout"]
    phutho = Province.objects.get(name="Tỉnh Phú Thọ")
    hanoi = Province.objects.get(name="Thành phố Hà Nội")
    a = _seed(phutho, PHUTHO, users["cv.phutho"])
    b = _seed(hanoi, HANOI, users["cv.hanoi"])
    out.write(f"  Cơ sở CNNT: {a} mới ở Phú Thọ, {b} mới ở Hà Nội.")
