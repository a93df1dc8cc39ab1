"""Mitt sammanträde: a board member's own view of their coming meetings (agenda, handlingar to
read in the browser or download together, what is new since they last looked) and their private
notes on the agenda items and handlingar, which only they ever see and may export."""
