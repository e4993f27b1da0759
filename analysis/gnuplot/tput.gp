# tput.gp - latency against throughput: one line per series (a queue
# topology over 1, 2, 4 clients; a variant's async depth sweep).
#
# datafile: one block per series, rows "<calls/s> <p50 ns> <p99 ns> <n>",
# n the clients or the depth (labelled at each point).
# series:   the series names, one word per block.   title: the plot title.
set title title
set xlabel 'throughput (calls/s)'
set ylabel 'total latency (ns)'
set logscale x
set logscale y
set grid
set key top left
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(series)] datafile index (i-1) using 1:2 \
		with linespoints lw 1.5 pt 7 lc i title word(series, i).' p50', \
	     for [i=1:words(series)] datafile index (i-1) using 1:3 \
		with linespoints dt 2 pt 6 lc i title word(series, i).' p99', \
	     for [i=1:words(series)] datafile index (i-1) using 1:2:4 \
		with labels offset 0.8,0.8 notitle
	set output
}
