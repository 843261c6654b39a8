set terminal pngcairo size 900,540 noenhanced
set output 'b6_setup.png'
set title 'B6: add time per container'
set xlabel 'containers'
set ylabel 'ms per container'
set key outside right
set grid
set yrange [0:*]
set logscale x
plot 'b6_setup.dat' index 0 using 1:2:3:4 with yerrorlines title 'vrctl', 'b6_setup.dat' index 1 using 1:2:3:4 with yerrorlines title 'ip_tc'
