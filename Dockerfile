# Production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0
# fonts-noto-cjk: Chinese glyphs in PDFs (宋/黑); fonts-lxgw-wenkai: the 楷体 of the work report;
# libcairo2: cairosvg draws chart PNGs for Word files; libharfbuzz-subset0: WeasyPrint font subsetting
# (~0.1 s instead of ~10 s a page); Pango: WeasyPrint's text layout; gettext: compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-lxgw-wenkai libcairo2 libharfbuzz-subset0 libpango-1.0-0 \
    libpangoft2-1.0-0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home presidium && mkdir -p /app/media && chown presidium /app/media
USER presidium
EXPOSE 8000
CMD ["gunicorn", "presidium.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
