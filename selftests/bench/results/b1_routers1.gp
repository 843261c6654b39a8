set terminal pngcairo size 900,540 noenhanced
set output 'b1_routers1.png'
set title 'B1 routers=1: sink throughput vs offered load'
set xlabel 'offered (pps, measured)'
set ylabel 'forwarded (pps)'
set key outside right
set grid
set yrange [0:*]
plot 'b1_routers1.dat' index 0 using 1:2:3:4 with yerrorlines title 'nonvirt', 'b1_routers1.dat' index 1 using 1:2:3:4 with yerrorlines title 'bridge', 'b1_routers1.dat' index 2 using 1:2:3:4 with yerrorlines title 'macvlan', 'b1_routers1.dat' index 3 using 1:2:3:4 with yerrorlines title 'ipvlan', 'b1_routers1.dat' index 4 using 1:2:3:4 with yerrorlines title 'nmv'
