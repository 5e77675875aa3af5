// Each segment of a balance bar grows with its count. Set here, not in a style attribute: the
// Content-Security-Policy allows no inline style. (Without script the segments are of equal width.)
for (const segment of document.querySelectorAll(".seg[data-grow]")) {
  segment.style.flexGrow = segment.dataset.grow;
}
