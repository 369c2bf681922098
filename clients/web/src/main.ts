// Entry point: `#token=…&masterplan=…[&lang=en]` opens the editor logged in.
import { render } from 'lit-html';
import { App } from './app';
import { sweepCharts } from './charts';
import './style.css';
import { budgetCharts } from './views/budget';
import { roadmapChart } from './views/roadmap';
import { shell } from './views/shell';

const root = document.getElementById('app')!;

const app = new App((a) => {
  render(shell(a), root);
  sweepCharts();
  roadmapChart(a);
  budgetCharts(a);
}, window.location);

// Another invitation or token link opened in this tab only changes the fragment: start over.
window.addEventListener('hashchange', () => {
  if (/(^#|&)(invite|token)=/.test(location.hash)) location.reload();
});

document.documentElement.lang = app.lang;
app.render();
void app.boot();

// For the browser tests and debugging.
(window as unknown as { rembuk: App }).rembuk = app;
