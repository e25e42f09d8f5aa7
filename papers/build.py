"""Build the shipped .docx templates (Decree 30/2020 layout) with python-docx.

Run ``manage.py build_paper_templates`` after changing this file; the results in ``papers/docx/`` are
committed (admins download them as the starting point for a province's own template).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def _document() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    # A4 with the decree's margins: top and bottom 20 mm, left 30 mm, right 15 mm.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    return doc


def _para(
    container, text: str = "", *, align=JUSTIFY, bold=False, italic=False, size=14, indent=True, upper=False
):
    p = container.add_paragraph()
    p.alignment = align
    if indent and align == JUSTIFY:
        p.paragraph_format.first_line_indent = Mm(12.7)
    if text:
        run = p.add_run(text.upper() if upper else text)
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    return p


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _header(doc, title: str, subtitle: str) -> None:
    """Issuing body, number and symbol on the left; Quốc hiệu, Tiêu ngữ, place and date on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    for column, cell, width in ((table.columns[0], left, Mm(62)), (table.columns[1], right, Mm(103))):
        column.width = cell.width = width
    for cell in (left, right):
        cell.paragraphs[0].text = ""
    _cell = left.paragraphs[0]
    _cell.alignment = CENTER
    r = _cell.add_run("{{ co_quan_chu_quan }}")
    r.font.size = Pt(13)
    _para(left, "{{ co_quan_ban_hanh }}", align=CENTER, bold=True, size=13, indent=False)
    _para(left, "———", align=CENTER, size=10, indent=False)
    _para(left, "Số: {{ so_ky_hieu }}", align=CENTER, size=13, indent=False)
    first = right.paragraphs[0]
    first.alignment = CENTER
    r = first.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(13)
    motto = _para(right, "Độc lập - Tự do - Hạnh phúc", align=CENTER, bold=True, size=14, indent=False)
    motto.runs[0].underline = True
    _para(right, "{{ ngay_thang }}", align=CENTER, italic=True, size=14, indent=False)
    _para(doc, "", indent=False)
    _para(doc, title, align=CENTER, bold=True, size=14, indent=False)
    _para(doc, subtitle, align=CENTER, bold=True, size=14, indent=False)
    _para(doc, "———", align=CENTER, size=10, indent=False)


def _signature(
    doc, left_title: str, right_title: str, left_name: str = "", right_name: str = "{{ nguoi_ky }}"
) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    for cell, heading, name in ((left, left_title, left_name), (right, right_title, right_name)):
        p = cell.paragraphs[0]
        p.alignment = CENTER if heading else LEFT
        if heading:
            run = p.add_run(heading)
            run.bold, run.font.size = True, Pt(13)
            _para(cell, "(Ký, ghi rõ họ tên, đóng dấu)", align=CENTER, italic=True, size=13, indent=False)
            for _ in range(3):
                _para(cell, "", indent=False)
            _para(cell, name, align=CENTER, bold=True, size=14, indent=False)


def _money_line(doc, label: str, figure: str, words: str) -> None:
    _para(doc, f"{label}: {{{{ {figure} }}}} đồng (Bằng chữ: {{{{ {words} }}}}).")


def _loop_table(doc, headers: list[str], var: str, item: str, cells: list[str]) -> None:
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        p = table.rows[0].cells[i].paragraphs[0]
        p.alignment = CENTER
        run = p.add_run(text)
        run.bold, run.font.size = True, Pt(13)
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {item} in {var} %}}")
    for i, text in enumerate(cells):
        run = table.rows[2].cells[i].paragraphs[0].add_run(text)
        run.font.size = Pt(13)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def decision() -> DocxDocument:
    doc = _document()
    _header(doc, "QUYẾT ĐỊNH", "Về việc phê duyệt đề án khuyến công “{{ ten_de_an }}”")
    _para(doc, "{{ tham_quyen }}", align=CENTER, bold=True, indent=False)
    for basis in (
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công, được sửa đổi, "
        "bổ sung bởi Nghị định số 235/2025/NĐ-CP;",
        "Căn cứ Thông tư số 28/2018/TT-BTC của Bộ Tài chính hướng dẫn lập dự toán, quản lý, sử dụng và quyết toán "
        "kinh phí khuyến công;",
        "Xét đề nghị của {{ don_vi_thuc_hien }} và kết quả thẩm định đề án.",
    ):
        _para(doc, basis, italic=True)
    _para(doc, "QUYẾT ĐỊNH:", align=CENTER, bold=True, indent=False)
    _para(
        doc, "Điều 1. Phê duyệt đề án khuyến công “{{ ten_de_an }}” (mã {{ ma_de_an }}) với các nội dung sau:"
    )
    _para(doc, "1. Nội dung hoạt động: {{ noi_dung_hoat_dong }}; cấp kinh phí: {{ cap_kinh_phi }}.")
    _para(doc, "2. Đơn vị thực hiện: {{ don_vi_thuc_hien }}.")
    _para(doc, "3. Địa bàn thực hiện: {{ dia_ban }}; thời gian thực hiện: {{ nam_thuc_hien }}.")
    _para(doc, "4. Mục tiêu, nội dung chính: {{ muc_tieu }}")
    _money_line(doc, "5. Tổng kinh phí thực hiện đề án", "kinh_phi", "kinh_phi_bang_chu")
    _para(
        doc,
        "Điều 2. {{ don_vi_thuc_hien }} có trách nhiệm tổ chức thực hiện đề án đúng nội dung được phê duyệt, "
        "quản lý, sử dụng và quyết toán kinh phí theo quy định hiện hành.",
    )
    _para(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {{ co_quan_quan_ly }}, {{ don_vi_thuc_hien }} và "
        "các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    )
    _signature(doc, "", "{{ chuc_vu_ky }}")
    return doc


def contract() -> DocxDocument:
    doc = _document()
    _header(doc, "HỢP ĐỒNG", "Thực hiện đề án khuyến công “{{ ten_de_an }}”")
    _para(
        doc,
        "Căn cứ Quyết định số {{ so_quyet_dinh_phe_duyet }} ngày {{ ngay_quyet_dinh_phe_duyet }} phê duyệt đề án "
        "khuyến công “{{ ten_de_an }}”;",
        italic=True,
    )
    _para(doc, "Hôm nay, tại {{ dia_danh }}, chúng tôi gồm:")
    _para(doc, "Bên A (Bên giao): {{ co_quan_quan_ly }}.", bold=True)
    _para(doc, "Bên B (Bên nhận): {{ don_vi_thuc_hien }}.", bold=True)
    _para(doc, "Hai bên thống nhất ký hợp đồng thực hiện đề án với các điều khoản sau:")
    _para(
        doc,
        "Điều 1. Bên B thực hiện đề án “{{ ten_de_an }}” (mã {{ ma_de_an }}) tại {{ dia_ban }}, "
        "thời gian thực hiện {{ nam_thuc_hien }}, theo nội dung đã được phê duyệt.",
    )
    _money_line(doc, "Điều 2. Giá trị hợp đồng", "kinh_phi", "kinh_phi_bang_chu")
    _para(
        doc,
        "Điều 3. Tạm ứng, thanh toán và quyết toán theo Thông tư số 28/2018/TT-BTC; quyết toán chậm nhất "
        "ngày 22 tháng 01 năm sau.",
    )
    _para(
        doc,
        "Điều 4. Hợp đồng có hiệu lực kể từ ngày ký, được lập thành 04 bản có giá trị như nhau, mỗi bên giữ 02 bản./.",
    )
    _signature(doc, "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B", "", "")
    return doc


def acceptance() -> DocxDocument:
    doc = _document()
    _header(doc, "BIÊN BẢN NGHIỆM THU", "Đề án khuyến công “{{ ten_de_an }}”")
    _para(
        doc,
        "Căn cứ Hợp đồng số {{ so_hop_dong }} ngày {{ ngay_hop_dong }} giữa {{ co_quan_quan_ly }} và "
        "{{ don_vi_thuc_hien }};",
        italic=True,
    )
    _para(
        doc, "Hội đồng nghiệm thu đã kiểm tra kết quả thực hiện đề án (mã {{ ma_de_an }}) tại {{ dia_ban }}:"
    )
    _loop_table(
        doc,
        ["Chỉ tiêu", "Kế hoạch", "Thực hiện"],
        "chi_tieu",
        "c",
        ["{{ c.ten }}", "{{ c.ke_hoach }}", "{{ c.thuc_hien }}"],
    )
    _para(doc, "Cơ sở thụ hưởng:", bold=True, indent=False)
    _loop_table(doc, ["Tên cơ sở", "Địa chỉ"], "co_so_thu_huong", "s", ["{{ s.ten }}", "{{ s.dia_chi }}"])
    _money_line(doc, "Kinh phí đã giải ngân", "da_giai_ngan", "da_giai_ngan_bang_chu")
    _para(
        doc,
        "Kết luận: đề án hoàn thành các nội dung theo hợp đồng; đề nghị thanh lý hợp đồng và quyết toán kinh phí./.",
    )
    _signature(doc, "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B", "", "")
    return doc


def liquidation() -> DocxDocument:
    doc = _document()
    _header(doc, "BIÊN BẢN THANH LÝ HỢP ĐỒNG", "Số {{ so_hop_dong }} ngày {{ ngay_hop_dong }}")
    _para(
        doc,
        "Căn cứ Biên bản nghiệm thu số {{ so_bien_ban_nghiem_thu }} ngày {{ ngay_nghiem_thu }} đề án "
        "“{{ ten_de_an }}” (mã {{ ma_de_an }});",
        italic=True,
    )
    _para(doc, "Bên A (Bên giao): {{ co_quan_quan_ly }}.", bold=True)
    _para(doc, "Bên B (Bên nhận): {{ don_vi_thuc_hien }}.", bold=True)
    _money_line(doc, "1. Giá trị hợp đồng", "kinh_phi", "kinh_phi_bang_chu")
    _money_line(doc, "2. Kinh phí nhà nước đã giao", "kinh_phi_giao", "kinh_phi_giao_bang_chu")
    _money_line(doc, "3. Kinh phí đã giải ngân cho Bên B", "da_giai_ngan", "da_giai_ngan_bang_chu")
    _para(doc, "Hai bên thống nhất thanh lý hợp đồng; Bên B hoàn thiện hồ sơ quyết toán theo quy định./.")
    _signature(doc, "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B", "", "")
    return doc


def settlement() -> DocxDocument:
    doc = _document()
    _header(doc, "BÁO CÁO QUYẾT TOÁN", "Kinh phí đề án khuyến công “{{ ten_de_an }}”")
    _para(
        doc,
        "Đề án mã {{ ma_de_an }}, thời gian thực hiện {{ nam_thuc_hien }}, đơn vị thực hiện {{ don_vi_thuc_hien }}, "
        "phê duyệt tại Quyết định số {{ so_quyet_dinh_phe_duyet }} ngày {{ ngay_quyet_dinh_phe_duyet }}.",
    )
    _loop_table(
        doc,
        ["Nguồn kinh phí", "Kế hoạch (đồng)", "Quyết toán (đồng)"],
        "nguon_kinh_phi",
        "n",
        ["{{ n.nguon }}", "{{ n.ke_hoach }}", "{{ n.quyet_toan }}"],
    )
    _money_line(doc, "Tổng kinh phí được duyệt", "kinh_phi", "kinh_phi_bang_chu")
    _money_line(doc, "Kinh phí nhà nước đã giải ngân", "da_giai_ngan", "da_giai_ngan_bang_chu")
    _money_line(doc, "Tổng kinh phí quyết toán", "quyet_toan", "quyet_toan_bang_chu")
    _signature(doc, "NGƯỜI LẬP BIỂU", "{{ chuc_vu_ky }}", "", "")
    return doc


BUILDERS = {
    "quyet_dinh": decision,
    "hop_dong": contract,
    "nghiem_thu": acceptance,
    "thanh_ly": liquidation,
    "quyet_toan": settlement,
}


def build_all(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, builder in BUILDERS.items():
        path = target / f"{kind}.docx"
        builder().save(str(path))
        written.append(path)
    return written
