# payload.gp - the payload sweep: total latency against payload size,
# one line per variant and memory-sync mode (copy, map).
#
# datafile: one block per series, rows "<bytes> <p50 ns> <p99 ns>".
# series:   the series names, one word per block.   title: the plot title.
set title title
set xlabel 'payload (bytes)'
set ylabel 'total latency (ns)'
set logscale x 2
set logscale y
set format x '%.0s%cB'
set grid
set key top left
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(series)] datafile index (i-1) using 1:2 \
		with linespoints lw 1.5 pt 7 lc i title word(series, i).' p50', \
	     for [i=1:words(series)] datafile index (i-1) using 1:3 \
		with linespoints dt 2 pt 6 lc i title word(series, i).' p99'
	set output
}
