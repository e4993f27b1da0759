# doorbells.gp - doorbells per call against calls in flight (async depth),
# one line per variant.
#
# datafile: one block per series, rows "<depth> <doorbells per call>".
# series:   the series names, one word per block.   title: the plot title.
set title title
set xlabel 'calls in flight (depth)'
set ylabel 'doorbells per call'
set logscale x 2
set grid
set key top right
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(series)] datafile index (i-1) using 1:2 \
		with linespoints lw 1.5 pt 7 lc i title word(series, i)
	set output
}
