-- expect: value 1,1,2,3
return table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')
