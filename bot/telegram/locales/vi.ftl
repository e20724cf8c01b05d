start-welcome =
    Xin chào! Tôi là <b>Trợ lý HTX</b>: tôi trả lời câu hỏi về kế hoạch, nghị quyết phát triển kinh tế tập thể, hợp tác xã của các tỉnh, kèm trích dẫn nguyên văn và số liệu tính bằng mã.
    Đang dùng { $docs } tài liệu: { $provinces }.
    Hãy gõ câu hỏi (có dấu hoặc không dấu), hoặc bấm một câu hỏi mẫu dưới đây. /help để xem các lệnh.
help-title = <b>Cách dùng</b>
help-ask = Gõ câu hỏi trực tiếp (trong nhóm: dùng /hoi, nhắc tên tôi hoặc trả lời tin nhắn của tôi). Câu hỏi tiếp theo giữ tỉnh và năm của câu trước.
help-commands = <b>Lệnh</b>
help-examples = <b>Câu hỏi mẫu</b> (bấm để hỏi):
lang-switched = Đã chuyển sang tiếng Việt.
lang-usage = Dùng: /lang vi hoặc /lang en
ask-usage = Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?
calc-usage = Dùng: /tinh biểu thức, ví dụ: /tinh 1.790 + 16.650 hoặc /tinh 80/285 %
calc-error = Không tính được: { $message }
    Ví dụ: /tinh 1.790 + 16.650 hoặc /tinh 80/285 %
unknown-command = Không có lệnh { $command }. Gõ /help để xem các lệnh.
access-denied = Xin lỗi, trợ lý này chỉ dành cho người dùng được cấp quyền. Vui lòng liên hệ quản trị viên để được cấp quyền.
access-denied-alert = Bạn chưa được cấp quyền dùng trợ lý này.
rate-limited = Bạn đang hỏi hơi nhanh 🙂 Vui lòng đợi khoảng một phút rồi hỏi tiếp.
error-apology = Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Vui lòng thử lại sau ít phút.
feedback-thanks-up = Cảm ơn bạn đã đánh giá 👍
feedback-thanks-down = Cảm ơn bạn, chúng tôi sẽ cải thiện câu trả lời 👎
no-last-answer = Chưa có câu trả lời nào trong cuộc trò chuyện này. Hãy đặt một câu hỏi trước.
source-missing = Không tìm thấy nguồn này (câu trả lời có thể đã cũ).
documents-title = <b>Tài liệu đã lập chỉ mục ({ $count })</b>
