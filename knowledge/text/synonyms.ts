// One spelling for terms the documents write several ways, applied to folded text before
// words are compared: "hợp tác xã" = "HTX", "tổ hợp tác" = "THT", "lợi nhuận" = "lãi".

export function canonical(folded: string): string {
  return folded
    .replace(/\blien hiep hop tac xa\b/g, "lien hiep htx")
    .replace(/\blhhtx\b/g, "lien hiep htx")
    .replace(/\bto hop tac\b/g, "tht")
    .replace(/\bhop tac xa\b/g, "htx")
    .replace(/\bloi nhuan\b/g, "lai")
    .replace(/\bxa vien\b/g, "thanh vien");
}
