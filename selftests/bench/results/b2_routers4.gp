set terminal pngcairo size 900,540 noenhanced
set output 'b2_routers4.png'
set title 'B2 routers=4: sink throughput vs offered load'
set xlabel 'offered (pps, measured)'
set ylabel 'forwarded (pps)'
set key outside right
set grid
set yrange [0:*]
plot 'b2_routers4.dat' index 0 using 1:2:3:4 with yerrorlines title 'bridge', 'b2_routers4.dat' index 1 using 1:2:3:4 with yerrorlines title 'macvlan', 'b2_routers4.dat' index 2 using 1:2:3:4 with yerrorlines title 'nmv'
