# cdf.gp - cumulative distribution of total latency, one curve per
# variant/backend, with p50, p99 and p99.9 marked.  The y axis is
# stretched (-log10(1-F)) so the tail stays readable.
#
# datafile: one block per curve, rows "<ns> <fraction <= ns>".
# markfile: one block per curve, rows "<ns> <fraction> <label>".
# curves:   the curve names, one word per block.   title: the plot title.
set title title
set xlabel 'total latency (ns)'
set ylabel 'fraction of requests at or below'
set logscale x
set nonlinear y via -log10(1 - y) inverse 1 - 10**(-y)
set yrange [0:0.9999]
set ytics ('0' 0, '0.5' 0.5, '0.9' 0.9, '0.99' 0.99, '0.999' 0.999, '0.9999' 0.9999)
set grid
set key top left
set offsets 0, graph 0.12, 0, 0
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(curves)] datafile index (i-1) using 1:2 \
		with steps lw 1.5 lc i title word(curves, i), \
	     for [i=1:words(curves)] markfile index (i-1) using 1:2 \
		with points pt 7 ps 1 lc i notitle, \
	     for [i=1:words(curves)] markfile index (i-1) using 1:2:3 \
		with labels left offset 0.6,-0.4 font ',8' tc lt i notitle
	set output
}
