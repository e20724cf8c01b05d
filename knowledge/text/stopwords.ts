// Words that say nothing about what a figure measures (folded spelling).

export const STOP_WORDS = new Set(
  (
    // Folded Vietnamese collides: "nhu" (như/nhu cầu), "ho" (họ/hỗ trợ/hộ), "tong" (tổng),
    // "moi" (mỗi/mới), "ban" (bạn/ban hành), "dang" (đang/đăng ký) are NOT stop words.
    "bao nhieu nao gi the la co cua va o cho biet hay xin vui long duoc nhung cac mot phan tram % " +
    "tinh nam theo ve voi trong den khi nay do thi thi se da muon phai bang dat " +
    "so luong nhieu hon toi minh ta cung con rat nhat sao vay a oi " +
    "ke hoach phan dau muc tieu chi tieu uoc thuc hien du kien nguoi ra the nao"
  ).split(" "),
);
