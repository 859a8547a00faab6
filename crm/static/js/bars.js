// Progress bars get their width here: the Content-Security-Policy forbids style="" in pages.
document.querySelectorAll(".bar [data-percent]").forEach((bar) => {
  const percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
  bar.style.width = `${percent}%`;
});
