set terminal pngcairo size 900,540 noenhanced
set output 'b5_accuracy.png'
set title 'B5: policed throughput / configured rate (offered 2x)'
set xlabel 'configured rate (pps)'
set ylabel 'sink / configured'
set key outside right
set grid
set yrange [0.9:1.1]
set logscale x
plot 'b5_accuracy.dat' index 0 using 1:2:3:4 with yerrorlines title 'igtb', 'b5_accuracy.dat' index 1 using 1:2:3:4 with yerrorlines title 'tc_dev', 'b5_accuracy.dat' index 2 using 1:2:3:4 with yerrorlines title 'tc_lower'
