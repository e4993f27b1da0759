# tests/variant.mk: a variant is its folder (tests/variant/toy.sh builds,
# runs and reports a toy fourth variant in a scratch copy of the tree).
TEST_CMDS	+= variant/toy='tests/variant/toy.sh'
