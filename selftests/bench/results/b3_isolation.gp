set terminal pngcairo size 900,540 noenhanced
set output 'b3_isolation.png'
set title 'B3: router B throughput / solo vs router A load'
set xlabel 'router A sent (pps)'
set ylabel 'B fraction of solo'
set key outside right
set grid
set yrange [0:*]
plot 'b3_isolation.dat' index 0 using 1:2:3:4 with yerrorlines title 'nonvirt', 'b3_isolation.dat' index 1 using 1:2:3:4 with yerrorlines title 'bridge', 'b3_isolation.dat' index 2 using 1:2:3:4 with yerrorlines title 'macvlan', 'b3_isolation.dat' index 3 using 1:2:3:4 with yerrorlines title 'nmv'
