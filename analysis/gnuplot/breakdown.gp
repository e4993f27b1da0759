# breakdown.gp - mean latency split into queue / memsync / notify /
# service, one stacked bar per variant, workloads side by side.
#
# datafile: rows "<label> <queue> <memsync> <notify> <service>" in ns,
#           a row "- 0 0 0 0" between workloads.   title: the plot title.
set title title
set ylabel 'mean latency (ns)'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.75
set xtics rotate by -35 left
set grid ytics
set key outside right top
set yrange [0:*]
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot datafile using 2:xtic(1) title 'queue', \
	     '' using 3 title 'memsync', \
	     '' using 4 title 'notify', \
	     '' using 5 title 'service'
	set output
}
