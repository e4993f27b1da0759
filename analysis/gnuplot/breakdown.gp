# breakdown.gp - where each request's time goes: queue / memsync / notify
# / service as shares of their sum, one bar per variant and workload, each
# stacked to 100 %, so a 1 us workload reads as well as a 1 ms one; the
# bar's label gives its mean total latency (vertical: one line of text
# per bar, so labels never run into each other).
#
# datafile: rows "<label> <queue> <memsync> <notify> <service>" in percent,
#           a row "- 0 0 0 0" between workloads.   title: the plot title.
set title title.' (shares of each bar; label: mean total)'
set ylabel 'share of mean latency (%)'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.75
set xtics rotate by 90 right
set grid ytics
set key outside right top
set yrange [0:100]
set ytics 0, 20, 100
do for [fmt in 'png svg'] {
	load gpdir.'/term.gp'
	plot datafile using 2:xtic(1) title 'queue', \
	     '' using 3 title 'memsync', \
	     '' using 4 title 'notify', \
	     '' using 5 title 'service'
	set output
}
