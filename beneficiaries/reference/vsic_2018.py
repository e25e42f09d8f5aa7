"""VSIC 2018 (QĐ 27/2018/QĐ-TTg): the sections, divisions, groups and classes rural facilities use.

Manufacturing (section C, divisions 10–33) is loaded with all its groups and the classes common in
craft villages; other sections keep the divisions rural facilities work in. Editable in the admin.
"""

from __future__ import annotations

SECTIONS: dict[str, tuple[str, range]] = {
    "A": ("Nông nghiệp, lâm nghiệp và thủy sản", range(1, 4)),
    "B": ("Khai khoáng", range(5, 10)),
    "C": ("Công nghiệp chế biến, chế tạo", range(10, 34)),
    "D": ("Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí", range(35, 36)),
    "E": ("Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải", range(36, 40)),
    "F": ("Xây dựng", range(41, 44)),
    "G": ("Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác", range(45, 48)),
    "S": ("Hoạt động dịch vụ khác", range(94, 97)),
}

CODES: list[tuple[str, str]] = [
    # A
    ("01", "Nông nghiệp và hoạt động dịch vụ có liên quan"),
    ("016", "Hoạt động dịch vụ nông nghiệp"),
    ("02", "Lâm nghiệp và hoạt động dịch vụ có liên quan"),
    ("03", "Khai thác, nuôi trồng thủy sản"),
    # B
    ("08", "Khai khoáng khác"),
    ("081", "Khai thác đá, cát, sỏi, đất sét"),
    ("089", "Khai khoáng chưa được phân vào đâu"),
    # C
    ("10", "Sản xuất, chế biến thực phẩm"),
    ("101", "Chế biến, bảo quản thịt và các sản phẩm từ thịt"),
    ("1010", "Chế biến, bảo quản thịt và các sản phẩm từ thịt"),
    ("102", "Chế biến, bảo quản thủy sản và các sản phẩm từ thủy sản"),
    ("1020", "Chế biến, bảo quản thủy sản và các sản phẩm từ thủy sản"),
    ("103", "Chế biến và bảo quản rau quả"),
    ("1030", "Chế biến và bảo quản rau quả"),
    ("104", "Sản xuất dầu, mỡ động, thực vật"),
    ("105", "Chế biến sữa và các sản phẩm từ sữa"),
    ("106", "Xay xát và sản xuất bột"),
    ("1061", "Xay xát và sản xuất bột thô"),
    ("1062", "Sản xuất tinh bột và các sản phẩm từ tinh bột"),
    ("107", "Sản xuất thực phẩm khác"),
    ("1071", "Sản xuất các loại bánh từ bột"),
    ("1072", "Sản xuất đường"),
    ("1073", "Sản xuất ca cao, sôcôla và bánh kẹo"),
    ("1074", "Sản xuất mì ống, mỳ sợi và sản phẩm tương tự"),
    ("1075", "Sản xuất món ăn, thức ăn chế biến sẵn"),
    ("1076", "Sản xuất chè"),
    ("1077", "Sản xuất cà phê"),
    ("1079", "Sản xuất thực phẩm khác chưa được phân vào đâu"),
    ("108", "Sản xuất thức ăn gia súc, gia cầm và thủy sản"),
    ("1080", "Sản xuất thức ăn gia súc, gia cầm và thủy sản"),
    ("11", "Sản xuất đồ uống"),
    ("110", "Sản xuất đồ uống"),
    ("1101", "Chưng, tinh cất và pha chế các loại rượu mạnh"),
    ("1102", "Sản xuất rượu vang"),
    ("1103", "Sản xuất bia và mạch nha ủ men bia"),
    ("1104", "Sản xuất đồ uống không cồn, nước khoáng"),
    ("12", "Sản xuất sản phẩm thuốc lá"),
    ("120", "Sản xuất sản phẩm thuốc lá"),
    ("13", "Dệt"),
    ("131", "Sản xuất sợi, vải dệt thoi và hoàn thiện sản phẩm dệt"),
    ("1311", "Sản xuất sợi"),
    ("1312", "Sản xuất vải dệt thoi"),
    ("1313", "Hoàn thiện sản phẩm dệt"),
    ("139", "Sản xuất hàng dệt khác"),
    ("1391", "Sản xuất vải dệt kim, vải đan móc và vải không dệt khác"),
    ("1392", "Sản xuất hàng dệt sẵn (trừ trang phục)"),
    ("1393", "Sản xuất thảm, chăn, đệm"),
    ("1399", "Sản xuất các loại hàng dệt khác chưa được phân vào đâu"),
    ("14", "Sản xuất trang phục"),
    ("141", "May trang phục (trừ trang phục từ da lông thú)"),
    ("1410", "May trang phục (trừ trang phục từ da lông thú)"),
    ("142", "Sản xuất sản phẩm từ da lông thú"),
    ("143", "Sản xuất trang phục dệt kim, đan móc"),
    ("15", "Sản xuất da và các sản phẩm có liên quan"),
    ("151", "Thuộc, sơ chế da; sơ chế và nhuộm da lông thú; sản xuất va li, túi xách, yên đệm"),
    ("152", "Sản xuất giày, dép"),
    (
        "16",
        "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); "
        "sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện",
    ),
    ("161", "Cưa, xẻ, bào gỗ và bảo quản gỗ"),
    ("1610", "Cưa, xẻ, bào gỗ và bảo quản gỗ"),
    ("162", "Sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm từ rơm, rạ"),
    ("1621", "Sản xuất gỗ dán, gỗ lạng, ván ép và ván mỏng khác"),
    ("1622", "Sản xuất đồ gỗ xây dựng"),
    ("1623", "Sản xuất bao bì bằng gỗ"),
    ("1629", "Sản xuất sản phẩm khác từ gỗ; sản xuất sản phẩm từ tre, nứa, rơm, rạ và vật liệu tết bện"),
    ("17", "Sản xuất giấy và sản phẩm từ giấy"),
    ("170", "Sản xuất giấy và sản phẩm từ giấy"),
    ("1701", "Sản xuất bột giấy, giấy và bìa"),
    ("1702", "Sản xuất giấy nhăn, bìa nhăn, bao bì từ giấy và bìa"),
    ("1709", "Sản xuất các sản phẩm khác từ giấy và bìa chưa được phân vào đâu"),
    ("18", "In, sao chép bản ghi các loại"),
    ("181", "In ấn và dịch vụ liên quan đến in"),
    ("182", "Sao chép bản ghi các loại"),
    ("19", "Sản xuất than cốc, sản phẩm dầu mỏ tinh chế"),
    ("191", "Sản xuất than cốc"),
    ("192", "Sản xuất sản phẩm dầu mỏ tinh chế"),
    ("20", "Sản xuất hóa chất và sản phẩm hóa chất"),
    (
        "201",
        "Sản xuất hóa chất cơ bản, phân bón và hợp chất ni tơ; plastic và cao su tổng hợp dạng nguyên sinh",
    ),
    ("2012", "Sản xuất phân bón và hợp chất ni tơ"),
    ("202", "Sản xuất sản phẩm hóa chất khác"),
    ("203", "Sản xuất sợi nhân tạo"),
    ("21", "Sản xuất thuốc, hóa dược và dược liệu"),
    ("210", "Sản xuất thuốc, hóa dược và dược liệu"),
    ("22", "Sản xuất sản phẩm từ cao su và plastic"),
    ("221", "Sản xuất sản phẩm từ cao su"),
    ("222", "Sản xuất sản phẩm từ plastic"),
    ("23", "Sản xuất sản phẩm từ khoáng phi kim loại khác"),
    ("231", "Sản xuất thủy tinh và sản phẩm từ thủy tinh"),
    ("239", "Sản xuất sản phẩm từ chất khoáng phi kim loại chưa được phân vào đâu"),
    ("2391", "Sản xuất sản phẩm chịu lửa"),
    ("2392", "Sản xuất vật liệu xây dựng từ đất sét"),
    ("2393", "Sản xuất sản phẩm gốm sứ khác"),
    ("2394", "Sản xuất xi măng, vôi và thạch cao"),
    ("2395", "Sản xuất bê tông và các sản phẩm từ bê tông, xi măng và thạch cao"),
    ("2396", "Cắt tạo dáng và hoàn thiện đá"),
    ("2399", "Sản xuất sản phẩm từ chất khoáng phi kim loại khác chưa được phân vào đâu"),
    ("24", "Sản xuất kim loại"),
    ("241", "Sản xuất sắt, thép, gang"),
    ("242", "Sản xuất kim loại màu và kim loại quý"),
    ("243", "Đúc kim loại"),
    ("25", "Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)"),
    ("251", "Sản xuất các cấu kiện kim loại, thùng, bể chứa và nồi hơi"),
    ("2511", "Sản xuất các cấu kiện kim loại"),
    ("252", "Sản xuất vũ khí và đạn dược"),
    ("259", "Sản xuất sản phẩm khác bằng kim loại; các dịch vụ xử lý, gia công kim loại"),
    ("2591", "Rèn, dập, ép và cán kim loại; luyện bột kim loại"),
    ("2592", "Gia công cơ khí; xử lý và tráng phủ kim loại"),
    ("2593", "Sản xuất dao kéo, dụng cụ cầm tay và đồ kim loại thông dụng"),
    ("2599", "Sản xuất sản phẩm khác bằng kim loại chưa được phân vào đâu"),
    ("26", "Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học"),
    ("261", "Sản xuất linh kiện điện tử"),
    ("262", "Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính"),
    ("263", "Sản xuất thiết bị truyền thông"),
    ("264", "Sản xuất sản phẩm điện tử dân dụng"),
    ("27", "Sản xuất thiết bị điện"),
    ("271", "Sản xuất mô tơ, máy phát, biến thế điện, thiết bị phân phối và điều khiển điện"),
    ("272", "Sản xuất pin và ắc quy"),
    ("273", "Sản xuất dây cáp, dây điện và điện tử và thiết bị dây dẫn"),
    ("274", "Sản xuất thiết bị điện chiếu sáng"),
    ("275", "Sản xuất đồ điện dân dụng"),
    ("279", "Sản xuất thiết bị điện khác"),
    ("28", "Sản xuất máy móc, thiết bị chưa được phân vào đâu"),
    ("281", "Sản xuất máy thông dụng"),
    ("282", "Sản xuất máy chuyên dụng"),
    ("2821", "Sản xuất máy nông nghiệp và lâm nghiệp"),
    ("2825", "Sản xuất máy chế biến thực phẩm, đồ uống và thuốc lá"),
    ("29", "Sản xuất xe có động cơ"),
    ("291", "Sản xuất xe có động cơ"),
    ("292", "Sản xuất thân xe có động cơ, rơ moóc và bán rơ moóc"),
    ("293", "Sản xuất phụ tùng và bộ phận phụ trợ cho xe có động cơ"),
    ("30", "Sản xuất phương tiện vận tải khác"),
    ("301", "Đóng tàu và thuyền"),
    ("309", "Sản xuất phương tiện và thiết bị vận tải chưa được phân vào đâu"),
    ("31", "Sản xuất giường, tủ, bàn, ghế"),
    ("310", "Sản xuất giường, tủ, bàn, ghế"),
    ("3100", "Sản xuất giường, tủ, bàn, ghế"),
    ("32", "Công nghiệp chế biến, chế tạo khác"),
    ("321", "Sản xuất đồ kim hoàn, đồ giả kim hoàn và các chi tiết liên quan"),
    ("322", "Sản xuất nhạc cụ"),
    ("323", "Sản xuất dụng cụ thể dục, thể thao"),
    ("324", "Sản xuất đồ chơi, trò chơi"),
    ("325", "Sản xuất thiết bị, dụng cụ y tế, nha khoa, chỉnh hình và phục hồi chức năng"),
    ("329", "Sản xuất khác chưa được phân vào đâu"),
    ("3290", "Sản xuất khác chưa được phân vào đâu"),
    ("33", "Sửa chữa, bảo dưỡng và lắp đặt máy móc và thiết bị"),
    ("331", "Sửa chữa và bảo dưỡng máy móc, thiết bị và sản phẩm kim loại đúc sẵn"),
    ("332", "Lắp đặt máy móc và thiết bị công nghiệp"),
    # D, E, F, G, S
    ("35", "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí"),
    ("351", "Sản xuất, truyền tải và phân phối điện"),
    ("38", "Hoạt động thu gom, xử lý và tiêu hủy rác thải; tái chế phế liệu"),
    ("383", "Tái chế phế liệu"),
    ("43", "Hoạt động xây dựng chuyên dụng"),
    ("46", "Bán buôn (trừ ô tô, mô tô, xe máy và xe có động cơ khác)"),
    ("47", "Bán lẻ (trừ ô tô, mô tô, xe máy và xe có động cơ khác)"),
    ("95", "Sửa chữa máy vi tính, đồ dùng cá nhân và gia đình"),
]


def level_of(code: str) -> str:
    if code.isalpha():
        return "section"
    return {2: "division", 3: "group", 4: "class", 5: "subclass"}[len(code)]


def section_of(division: str) -> str:
    number = int(division)
    for letter, (_name, divisions) in SECTIONS.items():
        if number in divisions:
            return letter
    raise ValueError(division)


def parent_of(code: str) -> str | None:
    if code.isalpha():
        return None
    if len(code) == 2:
        return section_of(code)
    return code[:-1]


def rows() -> list[tuple[str, str, str, str | None]]:
    """(code, name, level, parent code), parents before children."""
    result: list[tuple[str, str, str, str | None]] = [
        (letter, name, "section", None) for letter, (name, _r) in SECTIONS.items()
    ]
    ordered = sorted(CODES, key=lambda c: len(c[0]))
    result += [(code, name, level_of(code), parent_of(code)) for code, name in ordered]
    return result
