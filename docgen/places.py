"""A JSON path named as a person knows the place: "Đảng viên thứ 2 (Nguyễn Văn A), mục Quyết định".

The JSON path (``$.ket_qua.dang_vien[1].quyet_dinh``) is for programs: it counts from 0 and speaks in keys.
A person reads the field's Vietnamese label, list items counted from 1, and the item's name when it has one.
:data:`LABELS` is the one table of those labels (a key means one thing in every schema: DOMAIN.md's
glossary); a test checks that every property of every schema has one. A workbook's places are its cells
(:class:`~docgen.errors.Cell`), named by the workbook's own headers, not by this table.
"""

from __future__ import annotations

import re

from .errors import Place

# key → label of the field; for a list, the label of one of its items ("Đảng viên thứ 2").
LABELS = {
    "$schema": "Đường dẫn lược đồ",
    "HTNV": "Số Hoàn thành nhiệm vụ",
    "HTTNV": "Số Hoàn thành tốt nhiệm vụ",
    "HTXSNV": "Số Hoàn thành xuất sắc nhiệm vụ",
    "KHTNV": "Số Không hoàn thành nhiệm vụ",
    "ban_hanh": "Ban hành",
    "ca_nhan": "Cá nhân",
    "cai_dat": "Cài đặt",
    "cam_ket": "Cam kết",
    "can_cu": "Căn cứ",
    "can_cu_them": "Căn cứ thêm",
    "cap": "Cấp",
    "cap_tren": "Cơ quan cấp trên",
    "cham_tien_do": "Số nhiệm vụ chậm tiến độ",
    "che_do": "Chế độ",
    "chi_bo": "Chi bộ",
    "chu_quan": "Nguyên nhân chủ quan",
    "chu_the_trinh": "Tập thể trình",
    "chu_thich": "Chú thích",
    "chuc_vu": "Chức vụ",
    "chuc_vu_chinh_quyen": "Chức vụ chính quyền",
    "chuc_vu_dang": "Chức vụ đảng",
    "chuc_vu_doan_the": "Chức vụ đoàn thể",
    "chung": "Phần chung",
    "co_quan": "Cơ quan",
    "co_quan_ban_hanh": "Cơ quan ban hành",
    "co_quan_quyet_dinh": "Cấp ủy quyết định",
    "da_ky": "Đã ký",
    "dang_bo": "Đảng bộ",
    "dang_vien": "Đảng viên",
    "danh_so": "Kiểu đánh số",
    "dau_dong": "Ký hiệu đầu dòng",
    "de_nghi": "Đề nghị",
    "de_xuat": "Đề xuất",
    "dia_danh": "Địa danh",
    "diem": "Điểm",
    "dieu_2": "Điều 2",
    "dieu_kien_htxs": "Điều kiện Hoàn thành xuất sắc",
    "dinh_dang": "Thể thức trình bày",
    "doan": "Đoạn",
    "doi_tuong": "Đối tượng",
    "don_vi": "Đơn vị",
    "don_vi_cong_tac": "Đơn vị công tác",
    "gach": "Dòng gạch đầu dòng",
    "ghi_chu": "Ghi chú",
    "giai_trinh": "Giải trình",
    "han_che": "Hạn chế",
    "hinh_thuc": "Hình thức",
    "hinh_thuc_ky_luat": "Hình thức kỷ luật",
    "ho_ten": "Họ và tên",
    "hoan_thanh": "Số nhiệm vụ hoàn thành",
    "hoan_thanh_tat_ca": "Hoàn thành tất cả tiêu chí",
    "ke_hoach": "Kế hoạch của cấp trên",
    "ket_qua": "Kết quả",
    "ket_qua_nhiem_vu": "Kết quả thực hiện nhiệm vụ",
    "ket_qua_xep_loai": "Kết quả xếp loại",
    "ket_thuc": "Đoạn kết thúc",
    "khac_phuc": "Khắc phục",
    "khac_phuc_het": "Khắc phục hết hạn chế",
    "khach_quan": "Nguyên nhân khách quan",
    "khong_co_ky_luat": "Không có kỷ luật",
    "kinh_gui": "Kính gửi",
    "ky_hieu": "Ký hiệu",
    "ky_luat_trong_nam": "Kỷ luật trong năm",
    "lanh_dao_quan_ly": "Lãnh đạo, quản lý",
    "ly_do": "Lý do",
    "ma": "Mã đề mục",
    "mau": "Mẫu kiểm điểm",
    "mo_dau": "Đoạn mở đầu",
    "mo_ta": "Mô tả",
    "muc_do": "Mức độ khắc phục",
    "muc_ky_luat": "Mức kỷ luật",
    "nam": "Năm",
    "neu_guong": "Nêu gương",
    "ngay": "Ngày",
    "ngay_ban_hanh": "Ngày ban hành",
    "ngay_danh_gia": "Ngày đánh giá",
    "ngay_hop": "Ngày họp",
    "ngay_sinh": "Ngày sinh",
    "ngay_thanh_lap": "Ngày thành lập",
    "ngay_vao_dang": "Ngày vào Đảng",
    "nghi_om_thang": "Nghỉ ốm (tháng)",
    "nghi_thai_san": "Nghỉ thai sản",
    "ngoai_le_ky_luat": "Ngoại lệ kỷ luật",
    "ngoai_le_nguoi_dung_dau": "Ngoại lệ người đứng đầu",
    "ngoai_le_ty_le": "Ngoại lệ tỷ lệ 25%",
    "nguoi_dung_dau": "Người đứng đầu",
    "nguoi_ky": "Người ký",
    "nguyen_nhan": "Nguyên nhân",
    "nguyen_tac": "Nguyên tắc",
    "nhan_xet": "Nhận xét",
    "nhiem_vu": "Nhiệm vụ",
    "nhom": "Nhóm tính tỷ lệ",
    "nhom_1": "Điểm nhóm 1",
    "nhom_2": "Điểm nhóm 2",
    "nhom_tinh_ty_le": "Nhóm tính chung tỷ lệ",
    "noi_dung": "Nội dung",
    "noi_nhan": "Nơi nhận",
    "pham_chat": "Phẩm chất",
    "phuong_huong": "Phương hướng",
    "quyet_dinh": "Quyết định",
    "sap_xep_ten": "Sắp xếp theo tên",
    "so": "Số",
    "so_bat_dau": "Số bắt đầu",
    "tap_the": "Tập thể",
    "tap_the_lanh_dao": "Tập thể lãnh đạo",
    "ten": "Tên",
    "tham_quyen": "Thẩm quyền ký",
    "thong_ke_dang_vien": "Thống kê đảng viên",
    "thuc_hien": "Nơi thi hành",
    "tien_do_nhiem_vu": "Tiến độ nhiệm vụ",
    "tieu_chi": "Tiêu chí",
    "tieu_de": "Tên đề mục",
    "to_chuc": "Tổ chức đảng",
    "to_chuc_moi_thanh_lap": "Tổ chức mới thành lập",
    "to_trinh": "Tờ trình",
    "tong": "Tổng điểm",
    "tong_so": "Tổng số nhiệm vụ",
    "trach_nhiem": "Trách nhiệm",
    "trach_nhiem_doi_moi": "Trách nhiệm đổi mới",
    "trach_nhiem_lanh_dao": "Trách nhiệm lãnh đạo",
    "tran_htxs_tinh_tren": "Tỷ lệ Hoàn thành xuất sắc tính trên",
    "trang_thai": "Tình trạng",
    "trich_yeu": "Trích yếu",
    "tu_danh_gia": "Tự đánh giá",
    "tu_xep_loai": "Tự xếp loại",
    "uu_diem": "Ưu điểm",
    "van_de": "Vấn đề",
    "vi_pham_ky_luat": "Loại vi phạm",
    "vuot_30_phan_tram": "Vượt mức từ 30% tiêu chí",
    "vuot_muc": "Số nhiệm vụ vượt mức",
    "xac_nhan_chi_bo": "Xác nhận của chi bộ",
    "xay_dung_dang": "Xây dựng Đảng",
    "xep_loai": "Xếp loại",
    "xet_de_nghi": "Xét đề nghị",
}

# An item of a list is named by the first of these it has ("Đảng viên thứ 2 (Nguyễn Văn A)").
_NAME_KEYS = ("ho_ten", "ten", "tieu_de")
_STEP = re.compile(r'\.([^.\[]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


class JsonPlace(Place):
    """A place in a JSON document, in a person's words; ``path`` keeps the JSON path for programs."""

    def __new__(cls, text: str, path: str):
        self = super().__new__(cls, text)
        self.path = path
        return self

    def __reduce__(self):
        return (JsonPlace, (str(self), self.path))


def label(key: str) -> str:
    """The field's Vietnamese label; a key no schema declares (a misspelt one) is shown as it was typed."""
    return LABELS.get(key, f"“{key}”")


def steps(path: str) -> list[str | int]:
    """``$.a[2]["x y"]`` → ``["a", 2, "x y"]``."""
    out: list[str | int] = []
    for name, index, quoted in _STEP.findall(path[1:] if path.startswith("$") else path):
        out.append(int(index) if index else (name or quoted.replace('\\"', '"')))
    return out


def json_place(path: str, data=None, message: str = "") -> JsonPlace | str:
    """The place of ``path`` in a person's words ("" for the whole document): each list item by its label,
    its number counted from 1 and its name when ``data`` has one (and ``message`` does not already say it,
    as a rule's "Đảng viên Nguyễn Văn A: …" does); the fields after the last item as
    "mục A › B". Containers before a list item are left out: the item names the place well enough."""
    parts, fields, node = [], [], data
    keys = steps(path)
    for i, step in enumerate(keys):
        if isinstance(step, int):
            owner = keys[i - 1] if i and isinstance(keys[i - 1], str) else ""
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = next((node[k] for k in _NAME_KEYS if isinstance(node, dict) and isinstance(node.get(k), str)), "")
            item = f"{LABELS.get(owner, 'Phần tử') if owner else 'Phần tử'} thứ {step + 1}"
            name = name.strip()
            parts.append(f"{item} ({name})" if name and name not in message else item)
            fields = []
        else:
            node = node.get(step) if isinstance(node, dict) else None
            fields.append(label(step))
    if fields and isinstance(node, list):  # said of a whole list (a count, a ratio): the list, as for its items
        fields = []
        parts.append(f"danh sách {label(keys[-1])[0].lower()}{label(keys[-1])[1:]}")
    if fields:
        parts.append("mục " + " › ".join(fields))
    if len(parts) > 4:  # data nested deeper than any document: where it starts and where it ends
        parts = [*parts[:2], "…", *parts[-2:]]
    text = ", ".join(parts)
    return JsonPlace(text[0].upper() + text[1:], path) if parts else ""


def name_places(problems, data) -> list:
    """The problems, each without a place given the place of its JSON path in ``data``, its list items named.
    A rule's message that begins by naming the item ("Đảng viên Nguyễn Văn A: …") leaves the naming to the
    place: "Đảng viên thứ 2 (Nguyễn Văn A), mục Điểm: …"."""
    import dataclasses

    out = []
    for p in problems:
        if p.where or not p.path:
            out.append(p)
            continue
        message, name = p.message, _last_name(p.path, data)
        if name and (cut := message.find(f" {name}: ")) != -1 and ":" not in message[:cut]:
            message = message[cut + len(name) + 3 :]
        out.append(dataclasses.replace(p, message=message, where=json_place(p.path, data, message)))
    return out


def _last_name(path: str, data) -> str:
    """The name of the last list item on ``path`` in ``data``, or ""."""
    name, node = "", data
    for step in steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = next((node[k] for k in _NAME_KEYS if isinstance(node, dict) and isinstance(node.get(k), str)), "")
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return name.strip()
