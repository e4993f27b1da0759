# compare.gp - BASE against HEAD for one (variant, workload, phase):
# the two stored histograms (log-scale counts, one step per bucket) or,
# with mode 'samples', the per-sample values.
#
# datafile: block 0 BASE, block 1 HEAD; rows "<ns> <count>" (hist) or
#           "<sample number> <ns>" (samples).
# base, head: the two labels.   title: the plot title.   mode: hist|samples
set title title
set grid
set key top right
if (mode eq 'hist') {
	set xlabel 'latency (ns)'
	set ylabel 'requests per bucket'
	set logscale y
	set yrange [0.8:*]
	set logscale x
} else {
	set xlabel 'sample'
	set ylabel 'per-sample value (ns)'
	set xrange [0.5:*]
}
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	if (mode eq 'hist') {
		plot datafile index 0 using ($1 > 0 ? $1 : 1/0):($2 > 0 ? $2 : 0.1) with steps lw 1.5 title base, \
		     datafile index 1 using ($1 > 0 ? $1 : 1/0):($2 > 0 ? $2 : 0.1) with steps lw 1.5 title head
	} else {
		plot datafile index 0 using 1:2 with linespoints pt 7 title base, \
		     datafile index 1 using 1:2 with linespoints pt 7 title head
	}
	set output
}
