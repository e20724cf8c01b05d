start-welcome =
    Hello! I am <b>Trợ lý HTX</b>: I answer questions about the provinces' cooperative (HTX) development plans and resolutions, quoting the exact passage, with figures computed by code.
    Using { $docs } documents: { $provinces }.
    Type a question (Vietnamese with or without diacritics), or tap an example below. /help lists the commands.
help-title = <b>How to use</b>
help-ask = Type a question directly (in a group: use /ask, mention me or reply to my message). A follow-up keeps the province and year of the previous question.
help-commands = <b>Commands</b>
help-examples = <b>Example questions</b> (tap to ask):
lang-switched = Switched to English.
lang-usage = Use: /lang vi or /lang en
ask-usage = Type the question after the command, e.g.: /ask Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?
calc-usage = Use: /calc expression, e.g.: /calc 1.790 + 16.650 or /calc 80/285 %
calc-error = Cannot compute: { $message }
    Example: /calc 1.790 + 16.650 or /calc 80/285 %
unknown-command = There is no command { $command }. Type /help for the commands.
access-denied = Sorry, this assistant is only available to authorised users. Please contact the administrator for access.
access-denied-alert = You are not authorised to use this assistant.
rate-limited = You are asking a bit fast 🙂 Please wait about a minute before the next question.
error-apology = Sorry, something went wrong while handling your request. Please try again in a few minutes.
feedback-thanks-up = Thank you for the feedback 👍
feedback-thanks-down = Thank you, we will improve the answer 👎
no-last-answer = There is no answer in this conversation yet. Ask a question first.
source-missing = This source was not found (the answer may be outdated).
documents-title = <b>Indexed documents ({ $count })</b>
