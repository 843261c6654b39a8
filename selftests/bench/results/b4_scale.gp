set terminal pngcairo size 900,540 noenhanced
set output 'b4_scale.png'
set title 'B4: throughput relative to the smallest case (per repeat)'
set xlabel 'interfaces / routes'
set ylabel 'relative throughput'
set key outside right
set grid
set yrange [0:*]
set logscale x
plot 'b4_scale.dat' index 0 using 1:2:3:4 with yerrorlines title 'interfaces rate=0', 'b4_scale.dat' index 1 using 1:2:3:4 with yerrorlines title 'interfaces rate=5000', 'b4_scale.dat' index 2 using 1:2:3:4 with yerrorlines title 'routes rate=0', 'b4_scale.dat' index 3 using 1:2:3:4 with yerrorlines title 'routes rate=5000'
