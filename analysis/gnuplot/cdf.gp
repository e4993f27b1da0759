# cdf.gp - cumulative distribution of total latency, one curve per
# variant/backend, with p50, p99 and p99.9 marked.  The y axis is
# stretched (-log10(1-F)) so the tail stays readable.
#
# The marks carry no text on the plot: each curve's key entry lists its
# p50/p99/p99.9 values and the key sits below the plot, so no two labels
# can overlap however close the curves run; a point's shape says which
# quantile it marks.
#
# datafile: one block per curve, rows "<ns> <fraction <= ns>".
# markfile: one block per curve, rows "<ns> <fraction> <point type>".
# curves:   one quoted key title per block.   title: the plot title.
set title title
set xlabel 'total latency (ns)'
set ylabel 'fraction of requests at or below'
set logscale x
set nonlinear y via -log10(1 - y) inverse 1 - 10**(-y)
set yrange [0:0.9999]
set ytics ('0' 0, '0.5' 0.5, '0.9' 0.9, '0.99' 0.99, '0.999' 0.999, '0.9999' 0.9999)
set grid
set key below left Left reverse
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(curves)] datafile index (i-1) using 1:2 \
		with steps lw 1.5 lc i title word(curves, i), \
	     for [i=1:words(curves)] markfile index (i-1) using 1:2:3 \
		with points pt variable ps 1.2 lc i notitle, \
	     NaN with points pt 7 lc 'black' title 'p50', \
	     NaN with points pt 5 lc 'black' title 'p99', \
	     NaN with points pt 9 lc 'black' title 'p99.9'
	set output
}
