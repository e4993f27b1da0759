# shadow/: scf-shadow, linked once per variant by the top-level rules.
SHADOW_SRCS	+= $(sort $(wildcard shadow/*.c))
