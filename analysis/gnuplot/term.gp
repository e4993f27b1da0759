# term.gp - select the terminal for format `fmt` and open outbase.fmt.
# Loaded by every plot script inside:  do for [fmt in 'png svg'] { ... }
# pngcairo where gnuplot has it, else the libgd png terminal.
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size 1000,600 font ',10' noenhanced
	} else {
		set terminal png size 1000,600 noenhanced
	}
} else {
	set terminal svg size 1000,600 dynamic noenhanced font 'sans,10'
}
set output outbase.'.'.fmt
