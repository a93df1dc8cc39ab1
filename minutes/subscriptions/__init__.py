"""The public's e-mail subscriptions to the notice board (anslagstavla): double opt-in, one-click
unsubscribe (RFC 8058), and each posted notice mailed once to its subscribers, in throttled
batches, through board.mail's after-commit path."""
