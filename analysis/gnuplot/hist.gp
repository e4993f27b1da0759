# hist.gp - latency histogram of each phase of one workload, cyclictest /
# OSADL style: log-scale counts, one step per histogram bucket.
#
# datafile: one block per phase (blocks separated by two blank lines),
#           rows "<bucket start ns> <count>", zero rows where the
#           histogram is empty, so each step is one bucket wide.
# phases:   the phase names, one word per block.   title: the plot title.
# bucket:   bucket_ns.  The x axis is logarithmic so that the body and the
#           far outliers both stay readable; bucket 0 is drawn from bucket/2.
set title title
set xlabel 'latency (ns)'
set ylabel 'requests per bucket'
set logscale y
set yrange [0.8:*]
set logscale x
set grid
set key top right
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot for [i=1:words(phases)] datafile index (i-1) \
		using ($1 > 0 ? $1 : bucket / 2):($2 > 0 ? $2 : 0.1) with steps lw 1.5 title word(phases, i)
	set output
}
