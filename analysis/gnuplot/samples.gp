# samples.gp - the per-sample means of one workload (the origin's
# samples x cycles scheme): one point per sample, one line per variant.
#
# datafile: one block per series, rows "<sample number> <mean ns>".
# series:   the series names, one word per block.   title: the plot title.
set title title
set xlabel 'sample'
set ylabel 'mean total latency (ns)'
set grid
set key outside right top
set xrange [0.5:*]
set yrange [0:*]
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(series)] datafile index (i-1) using 1:2 \
		with linespoints lw 1.5 pt 7 lc i title word(series, i)
	set output
}
