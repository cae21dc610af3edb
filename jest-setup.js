// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom lacks the observers @grafana/ui's menus use (Select's scroll indicators); they only
// drive visual hints, so inert stand-ins are enough for editor tests.
class InertObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
if (!global.IntersectionObserver) {
  global.IntersectionObserver = InertObserver;
}
if (!global.ResizeObserver) {
  global.ResizeObserver = InertObserver;
}
