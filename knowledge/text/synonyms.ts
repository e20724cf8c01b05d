// One spelling for terms the documents write several ways, applied to folded text before
// words are compared: "hợp tác xã" = "HTX", "tổ hợp tác" = "THT", "lợi nhuận" = "lãi".

export function canonical(folded: string): string {
  return folded
    .replace(/\blien hiep (hop tac xa|htx)\b/g, "lhhtx")
    .replace(/\blh htx\b/g, "lhhtx")
    .replace(/\bto hop tac\b/g, "tht")
    .replace(/\bhop tac xa\b/g, "htx")
    .replace(/\bloi nhuan\b/g, "lai")
    .replace(/\bxa vien\b/g, "thanh vien")
    .replace(/\bsn\b/g, "su nghiep")
    .replace(/\bdtpt\b/g, "dau tu phat trien");
}
