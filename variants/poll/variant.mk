# variants/poll: no doorbell, both sides spin on the rings.
poll_ORDER	:= 10
poll_BACKENDS	:= spin
poll_BACKEND	:= spin
# Spinning on a shared word is exactly what a user-space ping-pong does.
poll_RAW_PEERS	:= spin=pingpong
poll_SRCS	:= variants/poll/notify_poll.c
