# variants/poll: no doorbell, both sides spin on the rings.
poll_SRCS := variants/poll/notify_poll.c
